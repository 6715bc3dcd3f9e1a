"""Export of a tenant's audit log as CSV, in the background."""

from __future__ import annotations

import json
from datetime import date

from app.audit.services import AuditFilter
from app.exports.tables import write_table
from app.extensions import db
from app.jobs import job, report_progress
from app.jobs.queue import BULK_QUEUE
from app.storage import storage

HEADERS = ["id", "time", "user", "action", "entity", "entity_id", "changes"]


@job("audit.export_csv", queue=BULK_QUEUE, timeout=1800)
def export_csv(record, *, filters: dict[str, str]) -> None:
    audit_filter = AuditFilter.from_args(filters)
    entries = db.session.scalars(audit_filter.statement()).all()
    rows = []
    for index, entry in enumerate(entries, start=1):
        rows.append(
            [
                str(entry.id),
                entry.created_at.isoformat(),
                entry.user.email if entry.user else "",
                entry.action,
                entry.entity,
                "" if entry.entity_id is None else str(entry.entity_id),
                json.dumps(entry.changes, ensure_ascii=False),
            ]
        )
        if index % 500 == 0:
            report_progress(record, index * 100 // len(entries))
    name = f"audit-log-{date.today().isoformat()}.csv"
    record.result_key = storage().save(record.tenant_id, name, write_table(HEADERS, rows, "csv"))
    record.result_name = name
