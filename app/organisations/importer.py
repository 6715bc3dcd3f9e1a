"""Import of a city's existing NGO list (CSV, XLSX, ODS), as city halls keep it.

The same plan serves the preview (dry run) and the import job, so what the person saw is
what happens; running a file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
import time
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from charset_normalizer import from_bytes
from defusedxml import ElementTree
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.exports.tables import restored
from app.extensions import db
from app.organisations import identifiers
from app.organisations.forms import identifier_message
from app.organisations.models import Organisation, Registration, fold
from app.tenancy.models import Tenant

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
    "contact_name": _l("Contact person for this local government"),
    "fields_of_activity": _l("Fields of activity here"),
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


OUTCOME_LABELS = {
    Outcome.NEW: _l("new organisation"),
    Outcome.LINK: _l(
        "already in Razem: added to this register, or invited if it has a representative"
    ),
    Outcome.UNCHANGED: _l("already in this register: nothing changes"),
    Outcome.ERROR: _l("not imported"),
}


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
# Limits checked while the file is read, so a hostile file is refused before it costs
# memory or minutes: a register of 20,000 organisations is a few megabytes of XML with
# short cells, and a 154 KB file that unpacks to a 150 MB cell is not a register.

MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_CELL_CHARACTERS = 2_000
MAX_UNPACKED_MB = 60
MAX_PACKING_RATIO = 100  # spreadsheets' XML packs 5–20 to 1; a zip bomb thousands to 1
READING_SECONDS = 15
ODS = {
    "table": "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}",
    "office": "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}",
    "text": "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}",
}


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The sheet as rows of text; the first row is the header."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    readers = {"csv": _csv_rows, "xlsx": _xlsx_rows, "ods": _ods_rows}
    if extension not in readers:
        raise ImportFileError(_("Choose a CSV, XLSX or ODS file."))
    try:
        rows = _within_limits(readers[extension](data))
    except ImportFileError:
        raise
    except (csv.Error, zipfile.BadZipFile, KeyError, IndexError, ValueError, SyntaxError) as error:
        # whatever the parser tripped on, the file is broken or not what it says it is
        raise ImportFileError(
            _("The file cannot be opened as %(kind)s.", kind=extension.upper())
        ) from error
    if len(rows) < 2:
        raise ImportFileError(_("The file has no rows below the header."))
    return rows


def _within_limits(source: Iterator[Sequence]) -> list[list[str]]:
    """The non-empty rows as text, refused at the first row, cell or second past a limit."""
    deadline = time.monotonic() + READING_SECONDS
    rows: list[list[str]] = []
    for raw in source:
        if time.monotonic() > deadline:
            raise ImportFileError(
                _("Reading the file took more than %(max)d seconds; split it.", max=READING_SECONDS)
            )
        row = [_text(cell) for cell in raw]
        while row and not row[-1]:
            row.pop()
        if not row:
            continue
        number = len(rows) + 1  # as the preview numbers rows: empty ones are left out
        if len(row) > MAX_COLUMNS:
            raise ImportFileError(
                _("Row %(row)d has more than %(max)d columns.", row=number, max=MAX_COLUMNS)
            )
        if any(len(cell) > MAX_CELL_CHARACTERS for cell in row):
            raise ImportFileError(_too_long(number))
        rows.append(row)
        if len(rows) > MAX_ROWS + 1:
            raise ImportFileError(_("The file has more than %(max)d rows; split it.", max=MAX_ROWS))
    return rows


def _too_long(row: int) -> str:
    return _(
        "A cell in row %(row)d is longer than %(max)d characters.",
        row=row,
        max=MAX_CELL_CHARACTERS,
    )


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


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        yield from reader
    except csv.Error as error:
        # the csv module's own bound on a field is far above ours: past it, a cell is too long
        if "field larger than field limit" in str(error):
            raise ImportFileError(_too_long(reader.line_num)) from error
        raise


def _unpacked(data: bytes) -> zipfile.ZipFile:
    """The XLSX or ODS archive, once the sizes its members declare are within bounds
    (zipfile stops any member at its declared size)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = archive.infolist()
    if sum(member.file_size for member in members) > MAX_UNPACKED_MB * 1024 * 1024:
        raise ImportFileError(
            _("The file unpacks to more than %(max)d MB; split it.", max=MAX_UNPACKED_MB)
        )
    for member in members:
        if member.file_size > 1024 * 1024 and (
            member.file_size > MAX_PACKING_RATIO * max(member.compress_size, 1)
        ):
            raise ImportFileError(
                _(
                    "The file unpacks to more than %(max)d times its size, which no "
                    "spreadsheet of organisations does. Save it again and retry.",
                    max=MAX_PACKING_RATIO,
                )
            )
    return archive


def _xlsx_rows(data: bytes) -> Iterator[list]:
    """The first sheet's rows, streamed from its XML (openpyxl, even read-only, parses a
    whole sheet that does not declare its size before giving the first row). Numbers come
    as numbers; nothing a register holds is a date."""
    archive = _unpacked(data)
    shared = [_local_text(item) for item in _elements(archive, "xl/sharedStrings.xml", "si")]
    row: list = []
    for element in _elements(archive, _first_sheet(archive), "c", "row"):
        if _local(element.tag) == "row":
            yield row
            row = []
            continue
        column = _column(element.get("r")) or len(row) + 1
        # one past the limit is enough for the limit to say so
        column = min(column, MAX_COLUMNS + 1)
        row += [None] * (column - 1 - len(row))
        row.append(_xlsx_value(element, shared))


def _elements(archive: zipfile.ZipFile, name: str, *wanted: str) -> Iterator:
    """The archive member's elements of the wanted local names, each once it is complete,
    then cleared; a missing optional part has none."""
    if name not in archive.namelist():
        return
    with archive.open(name) as part:
        for _event, element in ElementTree.iterparse(part, forbid_dtd=True):
            if _local(element.tag) in wanted:
                yield element
                element.clear()


def _first_sheet(archive: zipfile.ZipFile) -> str:
    sheet = next(_elements(archive, "xl/workbook.xml", "sheet"), None)
    wanted = {
        _local(key): value for key, value in (sheet.attrib if sheet is not None else {}).items()
    }.get("id")
    for relation in _elements(archive, "xl/_rels/workbook.xml.rels", "Relationship"):
        if relation.get("Id") == wanted:
            target = relation.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError(wanted)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _local_text(element) -> str:
    """The text of a shared or inline string: plain, or rich-text runs joined."""
    parts = []
    for child in element:
        if _local(child.tag) == "t":
            parts.append(child.text or "")
        elif _local(child.tag) == "r":
            parts += [node.text or "" for node in child if _local(node.tag) == "t"]
    return "".join(parts)


def _column(reference: str | None) -> int:
    number = 0
    for letter in (reference or "").upper():
        if not letter.isalpha():
            break
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _xlsx_value(cell, shared: list[str]) -> str | float | None:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(_local_text(node) for node in cell if _local(node.tag) == "is")
    value = next((node.text for node in cell if _local(node.tag) == "v"), None)
    if value is None:
        return None
    if kind == "s":
        return shared[int(value)]
    if kind == "n":
        return float(value)
    return value


def _ods_rows(data: bytes) -> Iterator[list]:
    """The first sheet's rows, streamed from content.xml; repeated empty cells and rows
    (every ODS ends with a million of them) are never spelled out."""
    table = ODS["table"]
    with _unpacked(data).open("content.xml") as content:
        row: list[str | float] = []
        blanks = 0
        for _event, element in ElementTree.iterparse(content, forbid_dtd=True):
            if element.tag in (table + "table-cell", table + "covered-table-cell"):
                value = _ods_value(element)
                repeated = int(element.get(table + "number-columns-repeated", "1"))
                if value == "":
                    blanks += repeated
                else:  # one past the limit is enough for the limit to say so
                    room = MAX_COLUMNS + 1 - len(row)
                    row += [""] * min(blanks, room)
                    row += [value] * min(repeated, MAX_COLUMNS + 1 - len(row))
                    blanks = 0
                element.clear()
            elif element.tag == table + "table-row":
                if row:
                    repeated = int(element.get(table + "number-rows-repeated", "1"))
                    for _copy in range(min(repeated, MAX_ROWS + 2)):
                        yield row
                row, blanks = [], 0
                element.clear()
            elif element.tag == table + "table":
                return


def _ods_value(cell) -> str | float:
    kind = cell.get(ODS["office"] + "value-type")
    if kind in ("float", "percentage", "currency"):
        return float(cell.get(ODS["office"] + "value", ""))
    if kind in ("date", "time", "boolean"):
        return cell.get(ODS["office"] + f"{kind}-value", "")
    return "\n".join("".join(p.itertext()) for p in cell.iter(ODS["text"] + "p"))


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
