"""Export of a tenant's audit log as CSV, in the background."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from app.audit.services import AuditFilter
from app.extensions import db
from app.jobs import job, report_progress
from app.storage import storage


@job("audit.export_csv")
def export_csv(record, *, filters: dict[str, str]) -> None:
    audit_filter = AuditFilter.from_args(filters)
    entries = db.session.scalars(audit_filter.statement()).all()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "time", "user", "action", "entity", "entity_id", "changes"])
    for index, entry in enumerate(entries, start=1):
        writer.writerow(
            [
                entry.id,
                entry.created_at.isoformat(),
                entry.user.email if entry.user else "",
                entry.action,
                entry.entity,
                entry.entity_id,
                json.dumps(entry.changes, ensure_ascii=False),
            ]
        )
        if index % 500 == 0:
            report_progress(record, index * 100 // len(entries))
    name = f"audit-log-{date.today().isoformat()}.csv"
    # UTF-8 with BOM: Excel in Polish offices then shows the diacritics right.
    record.result_key = storage().save(
        record.tenant_id, name, buffer.getvalue().encode("utf-8-sig")
    )
    record.result_name = name
