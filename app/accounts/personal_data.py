"""A person's data rights (RODO art. 15, 17 and 20): everything Razem holds about them as a
machine-readable archive, and the erasure of their account.

What is the person's is read from the models' metadata: every row of every table with a
foreign key to users naming them (their account, memberships, proposals, comments,
attendance, jobs, audit entries made by them or about them...), and the rows made for their
address (event registrations, invitations). Secrets (password and token hashes) never leave.
The city tables are read city by city under each city's scope, so row-level security holds
as for any job.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from sqlalchemy import Table, func, or_, select

from app.accounts.models import User
from app.exports.doors import door
from app.extensions import Model, db
from app.jobs import enqueue, job
from app.storage import storage
from app.tenancy import clock
from app.tenancy.archive import plain
from app.tenancy.context import acting_as, tenant_scope
from app.tenancy.models import Tenant

ARCHIVE_NAME = "moje-dane-razem.zip"
SECRET_MARKERS = ("password", "token_hash", "secret")
# The user's own row is the account; the audit log is read apart (by them and about them).
OWN_TABLES = ("users", "audit_log")


def _public(row) -> dict[str, Any]:
    return {
        key: plain(value)
        for key, value in row.items()
        if not any(marker in key for marker in SECRET_MARKERS)
    }


def _tables_naming_people() -> list[tuple[Table, list]]:
    return [
        (table, [fk.parent for fk in table.foreign_keys if fk.column.table.name == "users"])
        for table in db.metadata.sorted_tables
        if table.name not in OWN_TABLES
        and any(fk.column.table.name == "users" for fk in table.foreign_keys)
    ]


def tables_addressed_by_email() -> list[Table]:
    """Rows made for an address before or besides an account: event registrations, a city's
    or an organisation's invitations."""
    return [
        table for table in db.metadata.sorted_tables if "email" in table.c and table.name != "users"
    ]


def _rows(statement) -> list[dict[str, Any]]:
    return [_public(row) for row in db.session.execute(statement).mappings()]


def _of_person(user: User) -> dict[str, list[dict[str, Any]]]:
    """The rows naming the person, table by table, from every city and outside any; then
    the audit entries made by them or about those rows (their roles given and taken...)."""
    found: dict[str, dict[Any, dict[str, Any]]] = {}

    def keep(table_name: str, rows: list[dict[str, Any]], key: tuple[str, ...]) -> None:
        for row in rows:
            found.setdefault(table_name, {})[tuple(row[k] for k in key)] = row

    def gather_rows() -> None:
        for table, columns in _tables_naming_people():
            statement = select(table).where(or_(*(column == user.id for column in columns)))
            keep(table.name, _rows(statement), tuple(c.name for c in table.primary_key))
        for table in tables_addressed_by_email():
            statement = select(table).where(func.lower(table.c.email) == user.email.lower())
            keep(table.name, _rows(statement), tuple(c.name for c in table.primary_key))

    def gather_audit() -> None:
        from app.audit.models import AuditEntry

        about = [AuditEntry.user_id == user.id]
        about += [
            (AuditEntry.entity == entity) & AuditEntry.entity_id.in_(ids)
            for entity, ids in _entities(found).items()
        ]
        keep("audit_log", _rows(select(AuditEntry.__table__).where(or_(*about))), ("id",))

    for gather in (gather_rows, gather_audit):
        with acting_as(user.id):
            gather()  # outside any city: the person's own rows that follow them everywhere
            for tenant_id in db.session.scalars(select(Tenant.id).order_by(Tenant.id)).all():
                with tenant_scope(tenant_id):
                    gather()
    return {name: list(rows.values()) for name, rows in sorted(found.items()) if rows}


def _entities(found: dict[str, dict[Any, dict[str, Any]]]) -> dict[str, list[int]]:
    """The audit log's names of the rows found (it names a row by its class and id)."""
    classes = {
        mapper.persist_selectable.name: mapper.class_.__name__  # type: ignore[attr-defined]
        for mapper in Model.registry.mappers
    }
    entities: dict[str, list[int]] = {}
    for table, rows in found.items():
        ids = [row.get("id") for row in rows.values()]
        if table in classes and ids and all(isinstance(i, int) for i in ids):
            entities[classes[table]] = ids  # type: ignore[assignment]
    return entities


def personal_data(user: User) -> dict[str, Any]:
    account = db.session.execute(select(User.__table__).where(User.id == user.id)).mappings().one()
    cities = {
        tenant.id: tenant.slug for tenant in db.session.scalars(select(Tenant).order_by(Tenant.id))
    }
    records = _of_person(user)
    return {
        "format": "razem-personal-data/1",
        "generated_at": clock.now().isoformat(),
        "account": _public(account),
        "cities": cities,
        "organisations": _organisations_named(records),
        "records": records,
    }


def _organisations_named(records: dict[str, list[dict[str, Any]]]) -> dict[int, str]:
    """The names of the organisations the records name by id (the person's own among them)."""
    from app.organisations.models import Organisation

    ids = {
        row["organisation_id"]
        for rows in records.values()
        for row in rows
        if row.get("organisation_id") is not None
    }
    named = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    )
    return {organisation_id: name for organisation_id, name in named}


def archive(user: User) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(
            "personal-data.json", json.dumps(personal_data(user), ensure_ascii=False, indent=1)
        )
    return buffer.getvalue()


@job("accounts.export_personal_data")
def export_personal_data(record) -> None:
    """The archive of the person who started the job, for them alone (app/jobs/access.py)."""
    user = db.session.get_one(User, record.user_id)
    record.result_key = storage().save(None, ARCHIVE_NAME, archive(user))
    record.result_name = ARCHIVE_NAME


def start_personal_data_export(_document: None, file_format: str):
    """What the account page ("Pobierz moje dane") and the API call: the archive of the
    person who asks."""
    return enqueue("accounts.export_personal_data")


door(
    "accounts.export_personal_data",
    start_personal_data_export,
    formats=("zip",),
    summary="Export everything Razem holds about you",
    description="Any signed-in person, for themselves (RODO, the GDPR, art. 15 and 20): "
    "their account, memberships, proposals, comments, registrations, jobs and the audit "
    "entries by or about them, as JSON in a ZIP archive; password and token hashes never "
    "leave. The archive is theirs alone.",
)
