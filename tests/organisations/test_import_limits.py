"""Hostile spreadsheets are refused while they are read — quickly, with a message that
names the limit, and with nothing saved (issue #11, item 5)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
import tablib

from app.organisations import importer
from tests.conftest import log_in, post_form

RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XLSX_PARTS = {  # what a reader needs to find the first sheet and its strings
    "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    f' xmlns:r="{RELATIONSHIPS}"><sheets><sheet name="Organizacje" sheetId="1" r:id="rId1"/>'
    "</sheets></workbook>",
    "xl/_rels/workbook.xml.rels": "<Relationships "
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>",
}
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"
ODS_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Organizacje">'
)
ODS_END = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _inline(column: str, row: int, text: str) -> str:
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx(rows, shared: list[str] | None = None) -> bytes:
    """An XLSX written part by part: rows are iterables of sheet XML, so a sheet of
    300,000 rows takes a second to build and never sits in memory whole."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in XLSX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for text in shared or []:
                part.write(b"<si><t>")
                for start in range(0, len(text), 1 << 20):
                    part.write(text[start : start + (1 << 20)].encode())
                part.write(b"</t></si>")
            part.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(SHEET_START.encode())
            for row in rows:
                part.write(row.encode())
            part.write(SHEET_END.encode())
    return buffer.getvalue()


def ods(rows) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        with archive.open("content.xml", "w") as part:
            part.write(ODS_START.encode())
            for row in rows:
                part.write(row.encode())
            part.write(ODS_END.encode())
    return buffer.getvalue()


def _ods_row(*cells: str, repeated: int = 1, columns_repeated: int = 1) -> str:
    spelled = "".join(
        f'<table:table-cell table:number-columns-repeated="{columns_repeated}" '
        f'office:value-type="string"><text:p>{cell}</text:p></table:table-cell>'
        for cell in cells
    )
    return f'<table:table-row table:number-rows-repeated="{repeated}">{spelled}</table:table-row>'


def header_and(count: int):
    yield f'<row r="1">{_inline("A", 1, "Nazwa")}</row>'
    for number in range(2, count + 2):
        yield f'<row r="{number}">{_inline("A", number, f"Stowarzyszenie nr {number}")}</row>'


def a_cell_of_150_mb() -> bytes:
    header = f'<row r="1">{_inline("A", 1, "Nazwa")}</row>'
    cell = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return xlsx([header, cell], shared=["A" * 150 * 1024 * 1024])


HOSTILE = {
    "a 150 MB cell packed into a small XLSX": (
        "bomba.xlsx",
        a_cell_of_150_mb,
        "Plik po rozpakowaniu jest większy niż 60 MB",
    ),
    "300,000 rows of XLSX": (
        "wiersze.xlsx",
        lambda: xlsx(header_and(300_000)),
        "Plik ma więcej niż 20000 wierszy",
    ),
    "300,000 rows of ODS": (
        "wiersze.ods",
        lambda: ods(
            _ods_row(f"Stowarzyszenie nr {n}") if n else _ods_row("Nazwa") for n in range(300_000)
        ),
        "Plik ma więcej niż 20000 wierszy",
    ),
    "one ODS row repeated a million times": (
        "powtorzone.ods",
        lambda: ods([_ods_row("Nazwa"), _ods_row("Fundacja", repeated=1_000_000)]),
        "Plik ma więcej niż 20000 wierszy",
    ),
    "one ODS cell repeated across 16,384 columns": (
        "kolumny.ods",
        lambda: ods([_ods_row("Nazwa"), _ods_row("Fundacja", columns_repeated=16_384)]),
        "ma więcej niż 100 kolumn",
    ),
    "300,000 rows of CSV": (
        "wiersze.csv",
        lambda: ("Nazwa\n" + "".join(f"Fundacja nr {n}\n" for n in range(300_000))).encode(),
        "Plik ma więcej niż 20000 wierszy",
    ),
    "a 5 MB cell of CSV": (
        "komorka.csv",
        lambda: b"Nazwa;Opis\nFundacja;" + b"x" * 5_000_000 + b"\n",
        "jest dłuższa niż 2000 znaków",
    ),
    "a 2,001-character cell of XLSX": (
        "dluga.xlsx",
        lambda: tablib.Dataset(["Fundacja", "x" * 2_001], headers=["Nazwa", "Opis"]).export("xlsx"),
        "Komórka w wierszu 2 jest dłuższa niż 2000 znaków",
    ),
}


@pytest.fixture
def staff(client, make_user):
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    return client


def _files_under(root) -> set[Path]:
    return {path for path in Path(root).rglob("*") if path.is_file()}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_file_is_refused_quickly_and_nothing_is_kept(app, staff, case):
    filename, build, message = HOSTILE[case]
    data = build()
    stored = _files_under(app.config["STORAGE_ROOT"])
    # CPU time of this process: what reading the file costs, not how busy the machine is
    started = time.process_time()
    response = post_form(
        staff,
        "/leszno/organisations/import",
        {"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
        headers={"Accept-Language": "pl"},
    )
    elapsed = time.process_time() - started
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert elapsed < 2, f"{case}: refused after {elapsed:.1f} s"
    assert _files_under(app.config["STORAGE_ROOT"]) == stored
    assert staff.get("/leszno/organisations/import/preview").status_code == 404


def test_the_row_limit_itself_is_accepted():
    rows = importer.read_table("lista.xlsx", xlsx(header_and(importer.MAX_ROWS)))
    assert len(rows) == importer.MAX_ROWS + 1


def test_reading_stops_when_its_time_is_up(monkeypatch, app_context):
    monkeypatch.setattr(importer, "READING_SECONDS", -1)
    with pytest.raises(importer.ImportFileError, match="trwało dłużej niż"):
        importer.read_table("lista.csv", b"Nazwa\nFundacja\n")


def test_empty_repeated_cells_and_rows_cost_nothing(app_context):
    """Every ODS ends its rows with a thousand blank cells and its sheet with a million
    blank rows; they are not spelled out."""
    blank_cells = '<table:table-cell table:number-columns-repeated="16000"/>'
    blank_rows = (
        f'<table:table-row table:number-rows-repeated="1048000">{blank_cells}</table:table-row>'
    )
    data = ods(
        [
            _ods_row("Nazwa"),
            _ods_row("Fundacja").replace("</table:table-row>", blank_cells + "</table:table-row>"),
            blank_rows,
        ]
    )
    started = time.process_time()
    assert importer.read_table("lista.ods", data) == [["Nazwa"], ["Fundacja"]]
    assert time.process_time() - started < 1
