from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy.orm import joinedload

from app.accounts.models import Role
from app.accounts.permissions import get_or_404, require
from app.audit.labels import ENTITY_LABELS, entity_label
from app.audit.models import AuditEntry
from app.audit.services import ACTIONS, AuditFilter
from app.collation import polish_key
from app.exports.doors import door_of
from app.pages import UncountedPagination, page_number, row_url

blueprint = Blueprint("audit", __name__, template_folder="templates")
PAGE_SIZE = 50


@blueprint.get("/<tenant_slug>/audit")
@require(Role.ADMIN)
def entries():
    audit_filter = AuditFilter.from_args(request.args)
    page = page_number(request.args.get("page", 1))
    return render_template(
        "audit/entries.html",
        # the log only grows: never counted, nor read whole for its kinds of record
        entries=UncountedPagination(
            # who made each change, by their address: not their roles everywhere
            select=audit_filter.statement().options(joinedload(AuditEntry.user).lazyload("*")),
            page=page,
            per_page=PAGE_SIZE,
        ),
        audit_filter=audit_filter,
        actions=ACTIONS,
        entities=sorted(ENTITY_LABELS, key=lambda entity: polish_key(entity_label(entity))),
        entry_url=row_url("audit.entry", "entry_id"),  # each row's link, from one rule
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
