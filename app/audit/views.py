from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, redirect, render_template, request, url_for

from app import DATABASE_INTEGER_MAX
from app.accounts.models import Role
from app.accounts.permissions import get_or_404, require
from app.audit.listing import entity_choices, listed_entries, listing
from app.audit.models import AuditEntry, log_revision
from app.audit.services import ACTIONS, AuditFilter
from app.core.page_cache import CSRF_TOKEN_PLACE, office_fragment
from app.exports.doors import door_of
from app.pages import UncountedPagination, page_number
from app.tenancy.context import current_tenant_id

blueprint = Blueprint("audit", __name__, template_folder="templates")
PAGE_SIZE = 50


@blueprint.get("/<tenant_slug>/audit")
@require(Role.ADMIN)
def entries():
    audit_filter = AuditFilter.from_args(request.args)
    page = page_number(request.args.get("page", 1))
    # "Older" links name the last entry shown: the next page starts after it
    older_than = request.args.get("before", type=int) if page > 1 else None
    if older_than is not None and not 0 < older_than <= DATABASE_INTEGER_MAX:
        older_than = None
    content = office_fragment(
        "audit-log",
        lambda: _entries_page(audit_filter, page, older_than),
        revisions=(log_revision(current_tenant_id()),),
    )
    return render_template("audit/entries.html", content=content)


def _entries_page(audit_filter: AuditFilter, page: int, older_than: int | None) -> str:
    # the log only grows: never counted, nor read whole for its kinds of record
    entries = UncountedPagination(
        select=listing(audit_filter, older_than),
        seek=older_than is not None,
        page=page,
        per_page=PAGE_SIZE,
    )
    return render_template(
        "audit/_entries.html",
        page=entries,
        older={"before": entries.items[-1].id} if entries.items else {},
        entries=listed_entries(entries.items),
        audit_filter=audit_filter,
        actions=ACTIONS,
        entities=entity_choices(),
        csrf=CSRF_TOKEN_PLACE,
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
