"""Import of a city's existing NGO list (CSV, XLSX, ODS), as city halls keep it.

The same plan serves the preview (dry run) and the import job, so what the person saw is
what happens; running a file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

import tablib
from charset_normalizer import from_bytes
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.exports.tables import restored
from app.extensions import db
from app.organisations import identifiers
from app.organisations.forms import identifier_message
from app.organisations.models import Organisation, Registration, fold
from app.tenancy.models import Tenant

MAX_ROWS = 20_000
FIELDS = {
    "name": _l("Name"),
    "short_name": _l("Short name"),
    "legal_form": _l("Legal form"),
    "krs": "KRS",
    "nip": "NIP",
    "regon": "REGON",
    "address": _l("Address"),
    "email": _l("E-mail"),
    "phone": _l("Phone"),
    "website": _l("Website"),
    "contact_name": _l("Contact person for this city"),
    "fields_of_activity": _l("Fields of activity in this city"),
}
# Headers city halls actually use, folded (lowercase, no diacritics or punctuation).
HEADER_SYNONYMS = {
    "name": {"nazwa", "nazwa organizacji", "pelna nazwa", "nazwa podmiotu", "name"},
    "short_name": {"nazwa skrocona", "skrot", "short name"},
    "legal_form": {"forma prawna", "forma", "legal form"},
    "krs": {"krs", "nr krs", "numer krs"},
    "nip": {"nip", "nr nip", "numer nip"},
    "regon": {"regon", "nr regon", "numer regon"},
    "address": {"adres", "siedziba", "adres siedziby", "address"},
    "email": {"e mail", "email", "adres e mail", "mail", "poczta"},
    "phone": {"telefon", "tel", "nr telefonu", "numer telefonu", "phone"},
    "website": {"www", "strona www", "strona internetowa", "website"},
    "contact_name": {"osoba do kontaktu", "osoba kontaktowa", "kontakt", "contact"},
    "fields_of_activity": {"obszar dzialalnosci", "dzialalnosc", "zakres dzialalnosci"},
}
LEGAL_FORM_WORDS = [  # checked in order: the longer phrase first
    ("stowarzyszenie zwykle", "ordinary_association"),
    ("spoldzielnia socjalna", "social_cooperative"),
    ("kolo gospodyn wiejskich", "rural_housewives_circle"),
    ("kgw", "rural_housewives_circle"),
    ("uczniowski klub sportowy", "student_sports_club"),
    ("uks", "student_sports_club"),
    ("parafia", "church_legal_person"),
    ("koscielna osoba prawna", "church_legal_person"),
    ("fundacja", "foundation"),
    ("stowarzyszenie", "association"),
]


class ImportFileError(ValueError):
    """The file cannot be read at all; the message says why, for the person."""


class Outcome(StrEnum):
    NEW = "new"  # a new organisation, registered here
    LINK = "link"  # already in Razem (another city): registered here
    UNCHANGED = "unchanged"  # already in this city's register: nothing changes
    ERROR = "error"


@dataclass
class PlannedRow:
    number: int  # as the spreadsheet numbers it (the header is row 1)
    values: dict
    outcome: Outcome
    reasons: list[str] = field(default_factory=list)
    organisation_id: int | None = None
    differs: list[str] = field(default_factory=list)  # kept as they are in Razem


@dataclass
class ImportPlan:
    rows: list[PlannedRow]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def summary(self) -> dict[str, int]:
        return {outcome.value: self.count(outcome) for outcome in Outcome}


# -- reading ----------------------------------------------------------------------------


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The sheet as rows of text; the first row is the header."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "csv":
        rows = _read_csv(data)
    elif extension in ("xlsx", "ods"):
        rows = _read_spreadsheet(data, extension)
    else:
        raise ImportFileError(_("Choose a CSV, XLSX or ODS file."))
    rows = [[_text(cell) for cell in row] for row in rows if any(_text(c) for c in row)]
    if len(rows) < 2:
        raise ImportFileError(_("The file has no rows below the header."))
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(_("The file has more than %(max)d rows; split it.", max=MAX_ROWS))
    return rows


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # spreadsheets store 8567346215 as 8567346215.0
    return restored(str(cell).strip()).strip()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Polish offices' Excel saves CSV in Windows-1250 (sometimes ISO-8859-2).
    best = from_bytes(data, cp_isolation=["cp1250", "iso8859_2"]).best()
    text = str(best) if best is not None else ""
    if not text or any(_is_control(c) for c in text):
        raise ImportFileError(
            _("The file's encoding is not recognised. Save it as CSV UTF-8 and try again.")
        )
    return text


def _is_control(character: str) -> bool:
    return unicodedata.category(character) == "Cc" and character not in "\t\r\n"


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _read_spreadsheet(data: bytes, extension: str) -> list[list]:
    try:
        sheet = tablib.Dataset().load(data, format=extension, headers=False)
    except Exception as error:  # any parser failure means the file is broken
        raise ImportFileError(
            _("The file cannot be opened as %(kind)s.", kind=extension.upper())
        ) from error
    return [list(row) for row in sheet]


def guess_mapping(header: list[str]) -> dict[str, int]:
    """Which column holds which field, from the usual Polish headers."""
    mapping: dict[str, int] = {}
    for index, title in enumerate(header):
        folded = fold(title)
        for field_name, synonyms in HEADER_SYNONYMS.items():
            if folded in synonyms and field_name not in mapping:
                mapping[field_name] = index
    return mapping


# -- planning ---------------------------------------------------------------------------


def legal_form_of(text: str, name: str) -> str:
    for source in (fold(text), fold(name)):
        for words, form in LEGAL_FORM_WORDS:
            if source == words or source.startswith(words + " ") or f" {words} " in f" {source} ":
                return form
    return "other"


def plan(rows: list[list[str]], mapping: dict[str, int], tenant: Tenant) -> ImportPlan:
    """What importing these rows into the tenant's register would do, row by row."""
    if "name" not in mapping:
        raise ImportFileError(_("Say which column holds the name of the organisation."))
    body = rows[1:]
    parsed = [_parse(number, row, mapping) for number, row in enumerate(body, start=2)]
    _mark_duplicates_in_file(parsed)
    _match_existing(parsed, tenant)
    return ImportPlan(parsed)


def _parse(number: int, row: list[str], mapping: dict[str, int]) -> PlannedRow:
    values: dict[str, str | None] = {
        name: (row[index] if index < len(row) else "") for name, index in mapping.items()
    }
    reasons: list[str] = []
    if not values.get("name"):
        reasons.append(_("the name is missing"))
    for name, cleaner in (
        ("krs", identifiers.clean_krs),
        ("nip", identifiers.clean_nip),
        ("regon", identifiers.clean_regon),
    ):
        try:
            values[name] = cleaner(values.get(name))
        except identifiers.InvalidIdentifier as error:
            reasons.append(identifier_message(error))
    values["legal_form"] = legal_form_of(values.get("legal_form") or "", values.get("name") or "")
    return PlannedRow(number, values, Outcome.ERROR if reasons else Outcome.NEW, reasons)


def _keys(row: PlannedRow) -> list[tuple[str, str]]:
    keys = [(name, row.values[name]) for name in ("krs", "nip", "regon") if row.values.get(name)]
    return keys or [("name", fold(row.values.get("name")))]


def _mark_duplicates_in_file(rows: list[PlannedRow]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.outcome == Outcome.ERROR:
            continue
        for key in _keys(row):
            if key in seen:
                row.outcome = Outcome.ERROR
                row.reasons.append(_("the same organisation as in row %(row)d", row=seen[key]))
                break
        else:
            for key in _keys(row):
                seen[key] = row.number


def _match_existing(rows: list[PlannedRow], tenant: Tenant) -> None:
    candidates = [row for row in rows if row.outcome != Outcome.ERROR]
    existing = _existing_organisations(candidates)
    registered = set(
        db.session.scalars(
            select(Registration.organisation_id).where(
                Registration.tenant_id == tenant.id,
                Registration.organisation_id.in_([o.id for o in existing.values()]),
            )
        )
    )
    for row in candidates:
        organisation = next((existing[key] for key in _keys(row) if key in existing), None)
        if organisation is None:
            continue
        row.organisation_id = organisation.id
        row.outcome = Outcome.UNCHANGED if organisation.id in registered else Outcome.LINK
        row.differs = [
            name
            for name in ("name", "address", "email", "phone", "website")
            if row.values.get(name) and row.values[name] != (getattr(organisation, name) or "")
        ]


def _existing_organisations(rows: list[PlannedRow]) -> dict[tuple[str, str], Organisation]:
    """Organisations already in Razem, by identifier or (without one) by folded name —
    in one query for the whole file."""
    wanted: dict[str, set[str]] = {"krs": set(), "nip": set(), "regon": set(), "name": set()}
    for row in rows:
        for key, value in _keys(row):
            wanted[key].add(value)
    conditions = [
        getattr(Organisation, key).in_(values)
        for key, values in wanted.items()
        if values and key != "name"
    ]
    if wanted["name"]:
        conditions.append(Organisation.search_name.in_(wanted["name"]))
    if not conditions:
        return {}
    found: dict[tuple[str, str], Organisation] = {}
    for organisation in db.session.scalars(select(Organisation).where(or_(*conditions))):
        for key in ("krs", "nip", "regon"):
            if getattr(organisation, key):
                found[(key, getattr(organisation, key))] = organisation
        found.setdefault(("name", organisation.search_name), organisation)
    return found
