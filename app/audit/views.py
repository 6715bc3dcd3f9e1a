from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, redirect, render_template, request, url_for

from app.accounts.models import Role
from app.accounts.permissions import get_or_404, require
from app.audit.listing import entity_choices, listed_entries, listing
from app.audit.models import AuditEntry
from app.audit.services import ACTIONS, AuditFilter
from app.exports.doors import door_of
from app.pages import UncountedPagination, page_number

blueprint = Blueprint("audit", __name__, template_folder="templates")
PAGE_SIZE = 50


@blueprint.get("/<tenant_slug>/audit")
@require(Role.ADMIN)
def entries():
    audit_filter = AuditFilter.from_args(request.args)
    # the log only grows: never counted, nor read whole for its kinds of record
    page = UncountedPagination(
        select=listing(audit_filter),
        page=page_number(request.args.get("page", 1)),
        per_page=PAGE_SIZE,
    )
    return render_template(
        "audit/entries.html",
        page=page,
        entries=listed_entries(page.items),
        audit_filter=audit_filter,
        actions=ACTIONS,
        entities=entity_choices(),
    )


@blueprint.get("/<tenant_slug>/audit/<int:entry_id>")
@require(Role.ADMIN)
def entry(entry_id: int):
    return render_template("audit/entry.html", entry=get_or_404(AuditEntry, entry_id))


@blueprint.post("/<tenant_slug>/audit/export")
@require(Role.ADMIN)
def export():
    audit_filter = AuditFilter.from_args(request.form)
    record = door_of("audit.export").start(None, "csv", **asdict(audit_filter))
    return redirect(url_for("jobs.status", job_id=record.id))
