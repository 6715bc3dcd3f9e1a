"""Every registered document in every format it is exported in, produced from the demo (the
seeds' cities, programmes and minutes) and opened again as an official would: the page, the
language, the text without Markdown syntax, the file's properties. Generated from the
registry, so a new document or format is checked without a line here."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
import re
import shutil
import subprocess
import zipfile
from datetime import date

import openpyxl
import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from flask import g
from pypdf import PdfReader
from sqlalchemy import select

import app as app_package
from app import exports
from app.accounts.models import User
from app.demo.loader import load
from app.exports.render import produce
from app.extensions import db
from app.meetings.models import Meeting
from app.programmes.models import Programme
from app.regions.models import StandardsProject
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant
from tests import factories
from tests.conftest import log_in, post_form

# the features register their documents when their `documents` modules are imported
for module in pkgutil.walk_packages(app_package.__path__, "app."):
    if module.name.endswith(".documents"):
        importlib.import_module(module.name)
CASES = [(kind, fmt) for kind, formats in exports.kinds().items() for fmt in formats]
A4_POINTS = (595.3, 841.9)
A4_MM = (210, 297)
MARKDOWN_LEFT = re.compile(r"\*\*|__|(^|\s)\*\S|\]\(|^\s*[-*+] |•\s*\d+\.", re.MULTILINE)
SEED_000 = date(2023, 7, 13)


def _demo_arguments(coordinator: User) -> dict[str, int | str]:
    """The demo's records a builder's arguments name: seed 000's meeting and programme, the
    standards project of the coordinator's region."""
    meeting = db.session.scalars(select(Meeting).where(Meeting.held_on == SEED_000)).one()
    programme_id = meeting.programme_id or db.session.scalars(select(Programme.id)).first()
    projects = db.session.scalars(select(StandardsProject).order_by(StandardsProject.id))
    project_id = next(p.id for p in projects if coordinator.coordinates(p.region_id))
    region_id = db.session.get_one(StandardsProject, project_id).region_id
    year = db.session.get_one(Programme, programme_id).year_from
    return {
        "meeting_id": meeting.id,
        "programme_id": programme_id,
        "project_id": project_id,
        "region_id": region_id,
        "year": year,
        # the period of the project's report: the seed 003 project's two years
        "first": "2013-01-01",
        "last": "2014-12-31",
    }


@pytest.fixture(scope="module")
def files(app) -> dict[tuple[str, str], tuple[str, bytes]]:
    produced = {}
    with app.test_request_context():
        load()
        db.session.commit()
        leszno = db.session.scalars(select(Tenant).where(Tenant.slug == "leszno")).one()
        email = "koordynator@wielkopolska.demo"
        coordinator = db.session.scalars(select(User).where(User.email == email)).one()
        g.actor_id = coordinator.id
        with tenant_scope(leszno.id):
            known = _demo_arguments(coordinator)
            for kind, fmt in CASES:
                parameters = inspect.signature(exports.builder_of(kind)).parameters.values()
                arguments = {p.name: known[p.name] for p in parameters if p.name in known}
                assert all(p.name in arguments for p in parameters if p.default is p.empty)
                produced[kind, fmt] = produce(kind, fmt, **arguments)
        db.session.remove()
    return produced


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def assert_readable_text(text: str) -> None:
    assert text.strip()
    assert not MARKDOWN_LEFT.search(text), MARKDOWN_LEFT.search(text)


def check_pdf(data: bytes, kind: str) -> str:
    pdf = PdfReader(io.BytesIO(data))
    for page in pdf.pages:
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx(sorted(A4_POINTS), abs=1)
    text = pdf_text(data)
    assert_readable_text(text)
    assert re.search(rf"\b1 ?/ ?{len(pdf.pages)}\b", text), "pages are numbered"
    return text


def check_docx(data: bytes, kind: str) -> str:
    docx = DocxDocument(io.BytesIO(data))
    section = docx.sections[0]
    page = sorted((round(section.page_width.mm), round(section.page_height.mm)))
    assert page == list(A4_MM)
    margins = (section.left_margin, section.right_margin, section.top_margin)
    assert {round(margin.cm, 2) for margin in margins} == {2.5}
    assert 0 < len(docx.core_properties.title) <= 255
    language = docx.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    assert language.get(qn("w:val")) == "pl-PL"
    assert docx.core_properties.language == "pl-PL"
    footer = section.footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    text = "\n".join(
        [p.text for p in docx.paragraphs]
        + [c.text for t in docx.tables for row in t.rows for c in row.cells]
    )
    assert_readable_text(text)
    return text


def check_odt(data: bytes, kind: str) -> str:
    odt = zipfile.ZipFile(io.BytesIO(data))
    styles, content = odt.read("styles.xml").decode(), odt.read("content.xml").decode()
    sizes = re.findall(r'fo:page-(width|height)="([\d.]+)cm"', content + styles)
    assert sorted(float(size) for _side, size in sizes) == [21.0, 29.7]
    assert 'fo:language="pl"' in styles and 'fo:country="PL"' in styles
    assert "<text:page-number" in styles and "<text:page-count" in styles
    text = re.sub(r"<text:tab/>", "\t", content)
    text = re.sub(r"</text:(p|h)>|<text:line-break/>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    assert_readable_text(text)
    return text


def check_xlsx(data: bytes, kind: str) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames
    assert not [t for t in book.sheetnames if t.startswith(("Tablib", "Sheet"))]
    return "\n".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
    )


def check_csv(data: bytes, kind: str) -> str:
    assert data.startswith("\ufeff".encode()), "a BOM: Excel reads UTF-8"
    text = data.decode("utf-8-sig")
    assert ";" in text.splitlines()[0] or len(text.splitlines()[0].split(",")) == 1
    return text


CHECKS = {"pdf": check_pdf, "docx": check_docx, "odt": check_odt}
CHECKS |= {"xlsx": check_xlsx, "csv": check_csv}


def test_every_format_of_the_pipeline_has_a_check():
    assert {fmt for _kind, fmt in CASES} <= set(CHECKS)


@pytest.mark.parametrize(("kind", "fmt"), CASES, ids=[f"{k}.{f}" for k, f in CASES])
def test_every_document_opens_as_an_official_expects(files, kind, fmt):
    name, data = files[kind, fmt]
    assert name.endswith(f".{fmt}")
    CHECKS[fmt](data, kind)


@pytest.mark.parametrize("fmt", exports.kinds()["minutes"])
def test_seed_000_minutes_keep_their_marks_not_the_markdown_source(files, fmt):
    text = CHECKS[fmt](files["minutes", fmt][1], "minutes")
    flat = re.sub(r"\s+", " ", text)
    assert "modelu współpracy" in flat and "**" not in flat
    if fmt != "xlsx":
        assert re.search(r"1\.\s+Omówienie zagadnień", flat), "the agenda is numbered once"
        assert "• 1." not in flat and "•1." not in flat


def test_seed_000_minutes_as_docx_have_a_short_title_and_bold_runs(files):
    docx = DocxDocument(io.BytesIO(files["minutes", "docx"][1]))
    title = docx.core_properties.title
    assert title.startswith("PROTOKÓŁ ZE SPOTKANIA") and title.endswith("…")
    assert len(title) <= 255
    bold = {run.text for p in docx.paragraphs for run in p.runs if run.bold}
    assert "modelu współpracy" in bold and "zasady zrównoważonego rozwoju" in bold


@pytest.mark.parametrize("kind", [k for k, formats in exports.kinds().items() if "pdf" in formats])
def test_every_pdf_page_renders_to_an_image_a_person_can_look_at(files, kind, tmp_path):
    assert shutil.which("pdftoppm"), "poppler-utils is missing: `make test` installs it"
    data = files[kind, "pdf"][1]
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-", str(tmp_path / kind)], input=data, check=True
    )
    images = sorted(tmp_path.glob("*.png"))
    assert len(images) == len(PdfReader(io.BytesIO(data)).pages)
    assert all(image.stat().st_size > 1000 for image in images)


ENGLISH_NUMBER = re.compile(r"(?<![\d.,])\d+\.\d{2}(?![\d.])|\b\d{1,3}(,\d{3})+\b")
REPEATED_YEAR = re.compile(r"\b(\d{4})\s*[–-]\s*\1\b")


@pytest.mark.parametrize("kind", ["programme", "report"])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "odt"])
def test_numbers_money_dates_and_periods_are_written_the_polish_way(files, kind, fmt):
    """Seed 000's programme for 2024: "2 450 000,00 zł", a one-year period as "2024", the
    resolution "z dnia 23 listopada 2023 r."."""
    text = re.sub(r"[ \xa0\u202f]+", " ", CHECKS[fmt](files[kind, fmt][1], kind))
    assert not ENGLISH_NUMBER.search(text), ENGLISH_NUMBER.search(text)
    assert not REPEATED_YEAR.search(text), REPEATED_YEAR.search(text)
    assert "2 450 000,00 zł" in text
    if kind == "programme":
        assert "z dnia 23 listopada 2023 r." in text
        assert re.search(r"6\. Okres realizacji programu\s+2024\b", text)
    else:
        assert "2 398 120,5" in text  # the indicator's actual value, a number as people read it


def test_the_adoption_matrix_is_printed_across_a_landscape_page(files):
    page = PdfReader(io.BytesIO(files["adoption_matrix", "pdf"][1])).pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = pdf_text(files["adoption_matrix", "pdf"][1])
    # headers hyphenate the Polish way ("Sprawozdaw-czość"): the last columns by a short word
    assert "Centrum" in text and "Odsetek" in text, "the last columns are on the page"


def test_spreadsheets_hold_numbers_and_name_their_sheets_after_their_content(files):
    book = openpyxl.load_workbook(io.BytesIO(files["adoption_matrix", "xlsx"][1]))
    assert book.sheetnames == ["Wdrożenie w miastach", "Wdrożenie według bloków", "Legenda"]
    tables = book.worksheets[:2]
    shares = [cell for sheet in tables for row in sheet.iter_rows(min_row=2) for cell in row[-1:]]
    numbers = [c for c in shares if c.value != "brak danych"]
    assert numbers and all(isinstance(c.value, int | float) for c in numbers)
    assert all(c.number_format == "0%" for c in numbers)
    sheet = book.worksheets[0]
    assert all(cell.font.bold for cell in sheet[1]), "the header row stands out"
    assert sheet.freeze_panes == "A2"
    programme = openpyxl.load_workbook(io.BytesIO(files["programme", "xlsx"][1]))
    assert programme.sheetnames[0].startswith("Roczny Program Współpracy")


def test_a_meeting_exports_exactly_the_formats_its_documents_are_registered_in(
    client, make_user, tenants
):
    meeting_id = factories.meeting(tenants["leszno"])
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    url = f"/leszno/meetings/{meeting_id}/export"
    for document in sorted(n for n in exports.kinds() if exports.page_of(n) == "meetings.export"):
        for fmt in exports.kinds()[document]:
            job_url = post_form(client, url, {"document": document, "file_format": fmt}).location
            assert client.get(job_url + "/status.json").json["status"] == "done", (document, fmt)
        refused = {"csv", "ods", "exe"} - set(exports.kinds()[document])
        for fmt in refused:
            answer = post_form(client, url, {"document": document, "file_format": fmt})
            assert answer.status_code == 400, (document, fmt)


QUADRANTS = ["Mocne strony", "Słabe strony", "Szanse", "Zagrożenia"]


def test_the_swot_is_a_four_quadrant_grid_in_every_format(files):
    docx = DocxDocument(io.BytesIO(files["swot", "docx"][1]))
    (grid,) = docx.tables
    assert [len(row.cells) for row in grid.rows] == [2, 2]
    cells = [cell.paragraphs[0].text for row in grid.rows for cell in row.cells]
    assert cells == QUADRANTS
    texts = {fmt: CHECKS[fmt](files["swot", fmt][1], "swot") for fmt in ("pdf", "odt")}
    texts["docx"] = "\n".join(c.text for row in grid.rows for c in row.cells)
    for fmt, text in texts.items():
        flat = re.sub(r"\s+", " ", text)
        assert all(label in flat for label in QUADRANTS), fmt
        assert flat.count("regularne spotkania Biura") == 1, f"{fmt}: said once, not repeated"
    sheet = openpyxl.load_workbook(io.BytesIO(files["swot", "xlsx"][1])).worksheets[0]
    assert [cell.value for cell in sheet[1]] == QUADRANTS
