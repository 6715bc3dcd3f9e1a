"""The operator's background work on a whole city."""

from __future__ import annotations

import io
from pathlib import Path

from flask import current_app

from app.accounts.models import User
from app.extensions import db
from app.jobs import job
from app.storage import storage
from app.tenancy import archive, clock


@job("platform.export_tenant", timeout=3600)
def export_tenant(record, slug: str) -> None:
    """The city's archive of `flask tenants export`, for the operator who asked, kept outside
    the city's folder so that it is never part of the next export."""
    operator = db.session.get_one(User, record.user_id)
    buffer = io.BytesIO()
    with archive.owner_transaction() as connection:
        made = archive.export_tenant(
            connection, slug, Path(current_app.config["STORAGE_ROOT"]), buffer
        )
        archive.record(connection, "tenant.export", slug, {"counts": made.counts}, operator.email)
    name = f"{slug}-{clock.today().isoformat()}.zip"
    record.result_key = storage().save(None, name, buffer.getvalue())
    record.result_name = name
    record.summary = {"rows": sum(made.counts.values()), "files": len(made.files)}
