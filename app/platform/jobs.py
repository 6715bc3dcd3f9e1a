"""The operator's background work on a whole city, started from the platform's page or its
API twin (one door, app/exports/doors.py)."""

from __future__ import annotations

import io
from pathlib import Path

from flask import current_app, g

from app.accounts.models import User
from app.exports.doors import door
from app.extensions import db
from app.jobs import enqueue, job
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


def start_tenant_export(_document: None, file_format: str):
    """What the platform's page and the API call: the archive of the city in the address
    (`/platform/<tenant_slug>/export`), as regional doors take their region from theirs."""
    return enqueue("platform.export_tenant", slug=g.tenant.slug)


door(
    "platform.export_tenant",
    start_tenant_export,
    formats=("zip",),
    summary="Export a city's data and files as an archive",
    description="Platform operators only. Every record and stored file of the city in one "
    "ZIP archive, as `flask tenants export` makes it; `flask tenants import` reads it into "
    "another Razem. The archive is the operator's alone and stays outside the city's files.",
)
