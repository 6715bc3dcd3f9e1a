"""Export of a tenant's audit log as CSV, in the background, started from the log's page or
its API twin (one door, app/exports/doors.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from app.audit.labels import entity_label, shown_changes
from app.audit.models import AuditEntry
from app.audit.services import ACTIONS, AuditFilter
from app.exports.doors import door
from app.exports.tables import write_table
from app.extensions import db
from app.i18n import action_label
from app.jobs import enqueue, job, report_progress
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


def start_log_export(_document: None, file_format: str, **filters: Any):
    """What the log's page and the API call: the entries the page's filters show, as CSV."""
    return enqueue("audit.export_csv", filters=AuditFilter(**filters).as_args())


class AuditFiltersSchema(Schema):
    """The log page's filters, by the names its address and form give them."""

    entity = fields.String(
        load_default="",
        metadata={
            "description": "Only the records of this kind, by the name the log keeps "
            "(Meeting, Programme, Membership…)",
            "example": "Meeting",
        },
    )
    action = fields.String(  # without it, every action (AuditFilter's default)
        validate=validate.OneOf(ACTIONS),
        metadata={"description": "Only this action", "example": "update"},
    )
    user_email = fields.String(
        data_key="user",
        load_default="",
        metadata={
            "description": "Only what this person did, by their e-mail address",
            "example": "pracownik@leszno.demo",
        },
    )
    date_from = fields.Date(
        data_key="from",
        load_default=None,
        metadata={"description": "Only entries from this day on", "example": "2024-01-01"},
    )
    date_to = fields.Date(
        data_key="to",
        load_default=None,
        metadata={"description": "Only entries up to this day", "example": "2024-12-31"},
    )


door(
    "audit.export",
    start_log_export,
    arguments=AuditFiltersSchema,
    formats=("csv",),
    summary="Export the city's audit log",
    description="Administrators of the city. Every entry the filters select (all of them "
    "without a filter), newest first: who did what to which record, and what changed.",
)
