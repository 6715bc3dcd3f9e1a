"""Background work of the NGO base: importing a city's list, exporting its register."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.collation import in_polish_order
from app.exports import Table
from app.exports.doors import door
from app.exports.tables import TABLE_FORMATS, write_table, write_tables
from app.extensions import db
from app.jobs import enqueue, job, report_progress
from app.jobs.queue import BULK_QUEUE
from app.organisations import services
from app.organisations.catalogue import STATUS_LABELS, legal_form_label
from app.organisations.importer import (
    FIELDS,
    OUTCOME_LABELS,
    Outcome,
    PlannedRow,
    plan,
    read_table,
)
from app.organisations.models import (
    Organisation,
    Registration,
    RegistrationStatus,
)
from app.storage import storage
from app.tenancy import clock
from app.tenancy.models import Tenant

REGISTRATION = ("contact_name", "fields_of_activity")


# A city's whole list (25,000 rows take some minutes), planned and applied in one run.
@job("organisations.import", queue=BULK_QUEUE, timeout=3600)
def import_register(record, *, storage_key: str, filename: str, mapping: dict) -> None:
    with storage().open(storage_key) as handle:
        rows = read_table(filename, handle.read())
    tenant = db.session.get_one(Tenant, record.tenant_id)
    # Planned again now, not taken from the preview: the register may have changed since.
    import_plan = plan(rows, {k: int(v) for k, v in mapping.items()}, tenant)
    for index, row in enumerate(import_plan.rows, start=1):
        _apply(row, tenant)
        if index % 200 == 0:
            report_progress(record, index * 100 // len(import_plan.rows))
    record.summary = import_plan.summary()
    name = f"import-report-{clock.today().isoformat()}.csv"
    record.result_key = storage().save(record.tenant_id, name, _report(import_plan.rows))
    record.result_name = name


def _apply(row: PlannedRow, tenant: Tenant) -> None:
    fields = {k: row.values.get(k) or None for k in REGISTRATION}
    if row.outcome == Outcome.LINK:
        services.link(tenant, db.session.get_one(Organisation, row.organisation_id), **fields)
    if row.outcome != Outcome.NEW:
        return
    profile = {k: row.values.get(k) or None for k in Organisation.PROFILE_FIELDS}
    profile["public_benefit"] = False  # a list says nothing of the OPP status
    organisation = Organisation(**profile)
    db.session.add(organisation)
    db.session.add(
        Registration(
            organisation=organisation,
            tenant_id=tenant.id,
            status=RegistrationStatus.ACTIVE.value,
            **fields,
        )
    )
    db.session.flush()


def _report(rows: list[PlannedRow]) -> bytes:
    """What became of each row, in Polish like the register."""
    with force_locale("pl"):
        headers = [
            _("Row"),
            _("Name"),
            _("Outcome"),
            _("Reasons"),
            _("Fields that differ from Razem"),
        ]
        cells = [
            [
                str(row.number),
                row.values.get("name", ""),
                str(OUTCOME_LABELS[row.outcome]),
                "; ".join(row.reasons),
                ", ".join(str(FIELDS[name]) for name in row.differs),
            ]
            for row in rows
        ]
    return write_table(headers, cells, "csv")


@job("organisations.export", queue=BULK_QUEUE, timeout=1800)
def export_register(record, *, file_format: str) -> None:
    """The city's whole register with its own notes and tags (staff only start it)."""
    registrations = db.session.scalars(
        select(Registration)
        .join(Registration.organisation)
        .options(contains_eager(Registration.organisation))
        .where(Registration.tenant_id == record.tenant_id)
        .order_by(in_polish_order(Organisation.name))
    ).all()
    records = services.city_records()
    with force_locale("pl"):  # the register is kept in Polish whoever exports it
        rows = [
            _export_row(registration, *records.get(registration.id, (None, [])))
            for registration in registrations
        ]
        table = Table(EXPORT_HEADERS, rows, caption=_("Organisations"))
    name = f"organizacje-{clock.today().isoformat()}.{file_format}"
    data = write_tables([table], file_format)
    record.result_key = storage().save(record.tenant_id, name, data)
    record.result_name = name
    record.summary = {"organisations": len(registrations)}


def start_register_export(_document: None, file_format: str):
    """What the register's page and the API call: the city's register as a table."""
    return enqueue("organisations.export", file_format=file_format)


door(
    "organisations.export",
    start_register_export,
    formats=tuple(TABLE_FORMATS),
    summary="Export the city's register of organisations",
    description="Staff of the city. Every organisation registered in the city with its "
    "contacts, notes and tags, with Polish headers that the import reads back.",
)


# Polish headers: the import recognises them, so an export can be imported elsewhere.
EXPORT_HEADERS = [
    "Nazwa",
    "Nazwa skrócona",
    "Forma prawna",
    "KRS",
    "NIP",
    "REGON",
    "Adres",
    "E-mail",
    "Telefon",
    "WWW",
    "Sfery pożytku publicznego",
    "OPP",
    "Osoba do kontaktu",
    "Obszar działalności",
    "Status",
    "Tagi",
    "Uwagi",
]


def _export_row(registration: Registration, notes: str | None, tags: list[str]) -> list[str]:
    organisation = registration.organisation
    return [
        organisation.name,
        organisation.short_name or "",
        legal_form_label(organisation.legal_form),
        organisation.krs or "",
        organisation.nip or "",
        organisation.regon or "",
        organisation.address or "",
        organisation.email or "",
        organisation.phone or "",
        organisation.website or "",
        ", ".join(organisation.areas),
        "tak" if organisation.public_benefit else "nie",
        registration.contact_name or "",
        registration.fields_of_activity or "",
        str(STATUS_LABELS.get(registration.status, registration.status)),
        ", ".join(tags),
        notes or "",
    ]
