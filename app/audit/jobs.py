"""Export of a tenant's audit log as CSV, in the background."""

from __future__ import annotations

from flask_babel import gettext as _

from app.audit.labels import entity_label, shown_changes
from app.audit.models import AuditEntry
from app.audit.services import AuditFilter
from app.exports.tables import write_table
from app.extensions import db
from app.i18n import action_label
from app.jobs import job, report_progress
from app.jobs.queue import BULK_QUEUE
from app.storage import storage
from app.tenancy import clock


@job("audit.export_csv", queue=BULK_QUEUE, timeout=1800)
def export_csv(record, *, filters: dict[str, str]) -> None:
    audit_filter = AuditFilter.from_args(filters)
    entries = db.session.scalars(audit_filter.statement()).all()
    headers = [
        _("No"),
        _("Time"),
        _("User"),
        _("Action"),
        _("Record"),
        _("Record's number"),
        _("Changes"),
    ]
    rows = []
    for index, entry in enumerate(entries, start=1):
        rows.append(
            [
                str(entry.id),
                entry.created_at.isoformat(),
                entry.user.email if entry.user else _("system"),
                action_label(entry.action),
                entity_label(entry.entity),
                "" if entry.entity_id is None else str(entry.entity_id),
                _changes_text(entry),
            ]
        )
        if index % 500 == 0:
            report_progress(record, index * 100 // len(entries))
    name = f"audit-log-{clock.today().isoformat()}.csv"
    record.result_key = storage().save(record.tenant_id, name, write_table(headers, rows, "csv"))
    record.result_name = name


def _changes_text(entry: AuditEntry) -> str:
    """One line a field: "Tytuł: old → new" for a change, "Tytuł: value" otherwise."""
    lines = []
    for label, value in shown_changes(entry):
        if entry.action == "update" and isinstance(value, list) and len(value) == 2:
            lines.append(f"{label}: {_value(value[0])} → {_value(value[1])}")
        else:
            lines.append(f"{label}: {_value(value)}")
    return "\n".join(lines)


def _value(value) -> str:
    return "—" if value in (None, "") else str(value)
