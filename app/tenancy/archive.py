"""A city's data in and out: export to one archive, import into another deployment, offboard.

Operator work on a whole city, its append-only audit log included, so it runs as the owner
of the tables (MIGRATION_DATABASE_URI: razem_owner, BYPASSRLS, as backups do), each command
in one transaction, through SQLAlchemy Core on the models' metadata. Which rows are the
city's is read from the foreign keys, never from a hand list: a table added tomorrow is
exported, imported and offboarded without a change here.

- city tables: every table with a foreign key to tenants.id (tenant_id, and a claim's
  deciding_tenant_id); their rows of the city;
- dependants: rows of other tables that hang on those rows (a job's mail deliveries);
- people and organisations the rows name: exported (without password hashes) so that the
  archive can be imported elsewhere, matched there by e-mail and by KRS/NIP. They are
  global identities and stay when the city goes; their links to the city do not.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Date,
    DateTime,
    Integer,
    Numeric,
    Table,
    Time,
    bindparam,
    create_engine,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

from app.tenancy import clock

FORMAT = "razem-tenant-archive/1"
MANIFEST = "manifest.json"
DATA = "data.json"
FILES = "files/"
# Global rows an archive carries so that it can be imported elsewhere: matched by these
# columns in the target deployment, in this order, and created where none matches.
IDENTITIES: dict[str, tuple[str, ...]] = {
    "users": ("email",),
    "organisations": ("krs", "nip", "regon"),
}
# Where the import keeps the names of the tables whose rows the archive brings.
ARCHIVED_TABLES = "archived tables"
# What a person's exported account never carries.
SECRET_USER_COLUMNS = ("password_hash", "session_generation", "last_login_at")


class ArchiveError(Exception):
    """The archive cannot be made, read or imported; the message says why, for the operator."""


def _metadata():
    from app.extensions import db

    return db.metadata


@contextmanager
def owner_transaction() -> Iterator[Connection]:
    """One transaction as the tables' owner where the deployment has one (PostgreSQL: it
    sees and may remove every city's rows, the append-only logs included), else as the app."""
    from flask import current_app

    from app.extensions import db

    url = current_app.config.get("MIGRATION_DATABASE_URI")
    if not url and db.engine.dialect.name == "postgresql":
        # As the application's role, row-level security would hide the city's rows.
        raise ArchiveError(
            "Set MIGRATION_DATABASE_URL to the owner role (as for migrations and backups)."
        )
    engine = create_engine(url) if url else db.engine
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        if url:
            engine.dispose()


# --- which rows are the city's ----------------------------------------------------------


def _tenant_columns(table: Table) -> list:
    return [
        fk.parent
        for fk in table.foreign_keys
        if fk.column.table.name == "tenants" and table.name != "tenants"
    ]


def city_tables() -> dict[str, ColumnElement]:
    """Every table holding rows of the city, with the condition selecting them (a bound
    parameter `tenant`), in the order they can be inserted (parents first)."""
    tables = _metadata().sorted_tables
    selected: dict[str, ColumnElement] = {}
    tenant = bindparam("tenant", type_=Integer)
    for table in tables:
        columns = _tenant_columns(table)
        if columns:
            selected[table.name] = or_(*(column == tenant for column in columns))
    # Dependants: rows of global tables that hang on the city's rows (not identities).
    changed = True
    while changed:
        changed = False
        for table in tables:
            if table.name in selected or table.name in IDENTITIES or table.name == "tenants":
                continue
            parents = [
                fk
                for fk in table.foreign_keys
                if fk.column.table.name in selected and not fk.parent.nullable
            ]
            if parents:
                selected[table.name] = or_(
                    *(
                        fk.parent.in_(select(fk.column).where(selected[fk.column.table.name]))
                        for fk in parents
                    )
                )
                changed = True
    order = [table.name for table in tables]
    return {name: selected[name] for name in sorted(selected, key=order.index)}


def _table(name: str) -> Table:
    return _metadata().tables[name]


def count_rows(connection: Connection, tenant_id: int) -> dict[str, int]:
    return {
        name: connection.scalar(
            select(func.count()).select_from(_table(name)).where(condition),
            {"tenant": tenant_id},
        )
        or 0
        for name, condition in city_tables().items()
    }


def _tenant_row(connection: Connection, slug: str) -> dict[str, Any]:
    row = connection.execute(select(_table("tenants")).where(_table("tenants").c.slug == slug))
    found = row.mappings().first()
    if found is None:
        raise ArchiveError(f"No tenant {slug!r} in this database.")
    return dict(found)


def storage_folder(storage_root: Path, tenant_id: int) -> Path:
    """The city's stored files (app/storage.py keeps one folder per tenant)."""
    return storage_root / f"tenant-{tenant_id}"


def _stored_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file())


def schema_revision(connection: Connection) -> str:
    return connection.scalar(text("SELECT version_num FROM alembic_version")) or ""


# --- values in JSON and back --------------------------------------------------------------


def plain(value: Any) -> Any:
    """A column's value as JSON holds it (dates as ISO text, decimals as text)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _typed(column, value: Any) -> Any:
    if value is None or isinstance(column.type, JSON):
        return value
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    if isinstance(column.type, Time):
        return time.fromisoformat(value)
    if isinstance(column.type, Numeric):
        return Decimal(value)
    return value


# --- export -------------------------------------------------------------------------------


@dataclass
class Export:
    slug: str
    counts: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)


def export_tenant(
    connection: Connection, slug: str, storage_root: Path, output: io.BufferedIOBase | Path
) -> Export:
    """Write the city's rows, the people and organisations they name, and its files into one
    zip with a manifest (schema revision, counts per table, sha256 per file)."""
    tenant = _tenant_row(connection, slug)
    region = connection.execute(
        select(_table("regions").c.slug).where(_table("regions").c.id == tenant["region_id"])
    ).scalar_one()
    rows = {
        name: [
            {key: plain(value) for key, value in row.items()}
            for row in connection.execute(
                select(_table(name)).where(condition).order_by(*_table(name).primary_key),
                {"tenant": tenant["id"]},
            ).mappings()
        ]
        for name, condition in city_tables().items()
    }
    data = {
        "tenant": {key: plain(value) for key, value in tenant.items()},
        "region": region,
        "rows": rows,
        "identities": _identities(connection, rows),
    }
    folder = storage_folder(storage_root, tenant["id"])
    export = Export(slug, {name: len(table_rows) for name, table_rows in rows.items()})
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _stored_files(folder):
            content = path.read_bytes()
            key = path.relative_to(folder).as_posix()
            export.files[key] = hashlib.sha256(content).hexdigest()
            archive.writestr(FILES + key, content)
        payload = json.dumps(data, ensure_ascii=False, indent=1).encode()
        archive.writestr(DATA, payload)
        manifest = {
            "format": FORMAT,
            "tenant": slug,
            "schema_revision": schema_revision(connection),
            "exported_at": clock.now().isoformat(),
            "counts": export.counts,
            "data_sha256": hashlib.sha256(payload).hexdigest(),
            "files": export.files,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return export


def _identities(connection: Connection, rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The people and organisations the city's rows name."""
    wanted: dict[str, set[int]] = {name: set() for name in IDENTITIES}
    for name, table_rows in rows.items():
        for fk in _table(name).foreign_keys:
            target = fk.column.table.name
            if target in wanted:
                wanted[target] |= {row[fk.parent.name] for row in table_rows} - {None}
    identities = {}
    for name, ids in wanted.items():
        table = _table(name)
        columns = [c for c in table.c if c.name not in SECRET_USER_COLUMNS]
        found = connection.execute(select(*columns).where(table.c.id.in_(ids)).order_by(table.c.id))
        identities[name] = [
            {key: plain(value) for key, value in row.items()} for row in found.mappings()
        ]
    return identities


# --- import -------------------------------------------------------------------------------


@dataclass
class Import:
    slug: str
    tenant_id: int
    counts: dict[str, int]
    matched: dict[str, int]
    created: dict[str, int]
    files: int


def read_archive(path: Path) -> tuple[dict, dict, dict[str, bytes]]:
    """The manifest, the data and the files, each checked against the manifest's sums."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST))
            payload = archive.read(DATA)
            files = {
                name.removeprefix(FILES): archive.read(name)
                for name in archive.namelist()
                if name.startswith(FILES)
            }
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as error:
        raise ArchiveError(f"{path} is not a Razem tenant archive: {error}") from error
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"Unknown archive format {manifest.get('format')!r}.")
    if hashlib.sha256(payload).hexdigest() != manifest["data_sha256"]:
        raise ArchiveError("The archive's data does not match its checksum.")
    for key in files:
        parts = Path(key).parts
        if not parts or Path(key).is_absolute() or ".." in parts:
            raise ArchiveError(f"The archive names a file outside the city's folder: {key}")
    if set(files) != set(manifest["files"]):
        raise ArchiveError("The archive's files are not the ones its manifest lists.")
    for key, content in files.items():
        if hashlib.sha256(content).hexdigest() != manifest["files"][key]:
            raise ArchiveError(f"The file {key} does not match its checksum.")
    return manifest, json.loads(payload), files


def import_tenant(connection: Connection, path: Path, storage_root: Path) -> Import:
    """Create the city of the archive in this database under new ids, in the caller's
    transaction; people and organisations that exist here already are matched, not copied."""
    manifest, data, files = read_archive(path)
    here = schema_revision(connection)
    if manifest["schema_revision"] != here:
        raise ArchiveError(
            f"The archive is of schema revision {manifest['schema_revision']}, this database "
            f"of {here}: bring both to the same revision first."
        )
    slug = data["tenant"]["slug"]
    tenants = _table("tenants")
    if connection.scalar(select(tenants.c.id).where(tenants.c.slug == slug)) is not None:
        raise ArchiveError(f"A tenant {slug!r} exists here already; nothing was imported.")
    ids: dict[str, Any] = {ARCHIVED_TABLES: {*data["rows"], *IDENTITIES, "tenants"}}
    matched, created = _import_identities(connection, data["identities"], ids)
    tenant_id = _import_tenant_row(connection, data, ids)
    old_prefix, new_prefix = f"tenant-{data['tenant']['id']}/", f"tenant-{tenant_id}/"
    counts = {}
    for name, table_rows in data["rows"].items():
        table = _table(name)
        counts[name] = len(table_rows)
        for row in table_rows:
            values = _remapped(connection, table, row, ids, (old_prefix, new_prefix))
            _insert(connection, table, row, values, ids)
    folder = storage_folder(storage_root, tenant_id)
    for key, content in files.items():
        target = folder / key
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return Import(slug, tenant_id, counts, matched, created, len(files))


def _insert(connection: Connection, table: Table, row: dict, values: dict, ids: dict) -> None:
    if _has_serial_id(table):
        values.pop("id")
        new_id = connection.execute(insert(table).values(values).returning(table.c.id)).scalar()
        ids.setdefault(table.name, {})[row["id"]] = new_id
        return
    connection.execute(insert(table).values(values))
    if "id" in row:  # kept as it is (a job's uuid): rows naming it find it unchanged
        ids.setdefault(table.name, {})[row["id"]] = row["id"]


def _has_serial_id(table: Table) -> bool:
    return (
        [c.name for c in table.primary_key] == ["id"]
        and table.c.id.autoincrement
        in (
            True,
            "auto",
        )
        and table.c.id.type.python_type is int
    )


def _remapped(
    connection: Connection, table: Table, row: dict, ids: dict, prefixes: tuple[str, str]
) -> dict:
    """The row with the ids of this deployment and its stored files' keys in the new city's
    folder. A row of the archive is named by its new id; a shared definition (a region's
    standard) by the same id, which must exist here."""
    old_prefix, new_prefix = prefixes
    archived = set(ids[ARCHIVED_TABLES])
    values = {}
    for column in table.c:
        if column.name not in row:
            continue
        value = _typed(column, row[column.name])
        if isinstance(value, str) and value.startswith(old_prefix):
            value = new_prefix + value.removeprefix(old_prefix)  # a stored file's key
        for fk in column.foreign_keys:
            if value is None:
                continue
            target = fk.column.table.name
            if value in ids.get(target, {}):
                value = ids[target][value]
            elif target in archived:
                raise ArchiveError(f"{table.name}.{column.name} names a missing {target} row")
            elif not _exists(connection, fk, value, ids):
                raise ArchiveError(
                    f"{table.name}.{column.name} names {target} {value}, which this deployment "
                    "does not have; the global definitions must match."
                )
        values[column.name] = value
    return values


def _exists(connection: Connection, fk, value: Any, ids: dict) -> bool:
    """A shared definition (a region's standard, a thematic block) the archive names by id:
    it must be the same here. Once found, it is remembered as mapped to itself."""
    target = fk.column.table.name
    found = connection.scalar(select(fk.column).where(fk.column == value)) is not None
    if found:
        ids.setdefault(target, {})[value] = value
    return found


def _import_identities(
    connection: Connection, identities: dict[str, list[dict]], ids: dict
) -> tuple[dict[str, int], dict[str, int]]:
    matched: dict[str, int] = {}
    created: dict[str, int] = {}
    for name, keys in IDENTITIES.items():
        table = _table(name)
        mapping = ids.setdefault(name, {})
        matched[name] = created[name] = 0
        for row in identities.get(name, []):
            existing = _match(connection, table, row, keys)
            if existing is not None:
                mapping[row["id"]] = existing
                matched[name] += 1
                continue
            values = {
                c.name: _typed(c, row[c.name]) for c in table.c if c.name in row and c.name != "id"
            }
            mapping[row["id"]] = connection.execute(
                insert(table).values(values).returning(table.c.id)
            ).scalar()
            created[name] += 1
    return matched, created


def _match(connection: Connection, table: Table, row: dict, keys: tuple[str, ...]) -> int | None:
    for key in keys:
        if row.get(key):
            found = connection.scalar(select(table.c.id).where(table.c[key] == row[key]))
            if found is not None:
                return found
    return None


def _import_tenant_row(connection: Connection, data: dict, ids: dict) -> int:
    regions, tenants = _table("regions"), _table("tenants")
    region_id = connection.scalar(select(regions.c.id).where(regions.c.slug == data["region"]))
    if region_id is None:
        raise ArchiveError(
            f"This deployment has no region {data['region']!r}: run `flask tenants sync` first."
        )
    row = data["tenant"]
    values = {c.name: _typed(c, row[c.name]) for c in tenants.c if c.name in row and c.name != "id"}
    values["region_id"] = region_id
    tenant_id = connection.execute(
        insert(tenants).values(values).returning(tenants.c.id)
    ).scalar_one()
    ids["tenants"] = {row["id"]: tenant_id}
    ids["regions"] = {row["region_id"]: region_id}
    return tenant_id


# --- offboarding --------------------------------------------------------------------------


@dataclass
class Offboarding:
    slug: str
    tenant_id: int
    counts: dict[str, int]
    files: list[str]


def plan_offboarding(connection: Connection, slug: str, storage_root: Path) -> Offboarding:
    """What offboarding the city would remove: its rows per table and its files."""
    tenant = _tenant_row(connection, slug)
    folder = storage_folder(storage_root, tenant["id"])
    return Offboarding(
        slug,
        tenant["id"],
        count_rows(connection, tenant["id"]),
        [path.relative_to(folder).as_posix() for path in _stored_files(folder)],
    )


def offboard_tenant(connection: Connection, plan: Offboarding) -> None:
    """Delete every row of the city, children first, then the city itself, in the caller's
    transaction. The files go once it commits (remove_files), so that a failure keeps both."""
    conditions = city_tables()
    for name in reversed(list(conditions)):
        connection.execute(
            _table(name).delete().where(conditions[name]), {"tenant": plan.tenant_id}
        )
    tenants = _table("tenants")
    connection.execute(tenants.delete().where(tenants.c.id == plan.tenant_id))


def remove_files(storage_root: Path, tenant_id: int) -> None:
    shutil.rmtree(storage_folder(storage_root, tenant_id), ignore_errors=True)


def record(
    connection: Connection,
    action: str,
    subject: str,
    details: dict,
    performed_by: str | None = None,
) -> None:
    """The operator's log (app/audit: OperatorAction), in the same transaction; by the
    system user running the command unless the operator is named."""
    import getpass

    connection.execute(
        insert(_table("operator_log")).values(
            action=action,
            subject=subject,
            performed_by=performed_by or getpass.getuser(),
            details=details,
        )
    )
