"""Spreadsheets are written in one place: semicolon CSV with a BOM for Polish Excel, and no
cell that a spreadsheet would run as a formula, whichever export wrote the file."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import tablib

from app.exports import Document
from app.exports.render import RENDERERS
from app.exports.tables import FORMULA_STARTS, TABLE_FORMATS, write_tables
from tests import factories
from tests.conftest import log_in, post_form

HOSTILE = [start + 'HYPERLINK("http://zlo.example";"kliknij")' for start in FORMULA_STARTS]
APP = Path(__file__).parents[2] / "app"
WRITER = Path("exports/tables.py")


def read_back(data: bytes, file_format: str) -> tablib.Dataset:
    if file_format == "csv":
        assert data.startswith("\ufeff".encode()), "the BOM makes Excel read UTF-8"
        return tablib.Dataset().load(data.decode("utf-8-sig"), format="csv", delimiter=";")
    return tablib.Dataset().load(data, format=file_format)


def assert_inert(sheet: tablib.Dataset) -> None:
    cells = [str(c) for row in sheet for c in row if c is not None] + list(sheet.headers)
    assert cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize("file_format", TABLE_FORMATS)
def test_every_table_format_makes_formulas_inert(app, file_format):
    document = Document("Zestawienie").add_table(["Nazwa", "=1+1"], [[v, "ok"] for v in HOSTILE])
    with app.test_request_context():
        sheet = read_back(RENDERERS[file_format](document), file_format)
    assert_inert(sheet)
    # the text stays readable: only an apostrophe is put in front
    assert all(cell.startswith("'") and "HYPERLINK" in cell for cell in sheet["Nazwa"])


@pytest.mark.parametrize("file_format", TABLE_FORMATS)
def test_plain_text_and_numbers_are_written_as_they_are(file_format):
    rows = [["Stowarzyszenie „ECHO”", "1 234,50 zł", "67%", "8567346215"]]
    table = Document("x").add_table(["Nazwa", "Kwota", "Udział", "NIP"], rows).tables()
    sheet = read_back(write_tables(table, file_format), file_format)
    assert [str(c) for c in sheet[0]] == rows[0]


def test_the_csv_splits_into_columns_for_polish_excel():
    table = Document("x").add_table(["Miasto", "Kwota"], [["Leszno", "1 234,50 zł"]]).tables()
    text = write_tables(table, "csv").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [
        ["Miasto", "Kwota"],
        ["Leszno", "1 234,50 zł"],
    ]


def test_no_spreadsheet_is_written_outside_the_export_pipeline():
    """Generated from the source: a second CSV or spreadsheet writer would escape the
    formula guard and the Polish Excel conventions."""
    writer = re.compile(
        r"csv\.(writer|DictWriter)\b|\.export\(|Databook\(|^\s*(import|from) (openpyxl|xlsxwriter)"
    )
    offenders = [
        f"{path.relative_to(APP)}:{number}"
        for path in APP.rglob("*.py")
        if path.relative_to(APP) != WRITER
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if writer.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("file_format", TABLE_FORMATS)
def test_the_register_export_is_inert_and_imports_unchanged(
    client, make_user, tenants, file_format
):
    name = '=HYPERLINK("http://zlo.example";"Fundacja")'
    factories.registration(tenants["leszno"], factories.organisation(name))
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    job_url = post_form(client, "/leszno/organisations/export", {"format": file_format}).location
    sheet = read_back(client.get(job_url + "/download").get_data(), file_format)
    assert sheet["Nazwa"] == ["'" + name]
    assert_inert(sheet)


def test_the_audit_log_is_written_by_the_pipeline(client, make_user):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    job_url = post_form(client, "/leszno/audit/export").location
    sheet = read_back(client.get(job_url + "/download").get_data(), "csv")
    assert sheet.headers == [
        "Lp.",
        "Godzina",
        "Użytkownik",
        "Działanie",
        "Rekord",
        "Numer rekordu",
        "Zmiany",
    ]
    assert len(sheet) >= 1
