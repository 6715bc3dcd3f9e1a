"""Official documents: exported by a job and opened again to check their Polish text."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest
import tablib
from docx import Document as DocxDocument
from pypdf import PdfReader

from app.exports import kinds, page_of
from app.extensions import db
from app.programmes import documents  # noqa: F401 - registers the programme's documents
from app.programmes.forms import ExportForm
from app.programmes.models import Programme, Proposal
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form


@pytest.fixture
def adopted(tenants, client, make_user):
    programme_id = factories.programme(tenants["leszno"], stage="adopted", complete=True).id
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        programme.resolution_number, programme.resolution_date = (
            "LXVIII/930/2023",
            date(2023, 11, 23),
        )
        goals = next(s for s in programme.sections if s.key == "goals")
        goals.body = "Cel główny: budowanie partnerstwa – zażółć gęślą jaźń."
        organisation = factories.registration(tenants["leszno"]).organisation
        db.session.add(
            Proposal(
                programme_id=programme_id,
                organisation_id=organisation.id,
                element="principles",
                answer="partly_accepted",
                proposed_text="Uprościć definicję zasady zrównoważonego rozwoju.",
                answer_justification="Definicja została uproszczona.",
            )
        )
        db.session.commit()
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    return programme_id


def _export(client, programme_id: int, document: str, file_format: str) -> bytes:
    job_url = post_form(
        client,
        f"/leszno/programmes/{programme_id}/export",
        {"document": document, "file_format": file_format},
    ).location
    status = client.get(job_url + "/status.json").json
    assert status["status"] == "done", status
    return client.get(job_url + "/download").get_data()


def test_programme_as_pdf_keeps_polish_diacritics(client, adopted):
    pdf = PdfReader(io.BytesIO(_export(client, adopted, "programme", "pdf")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Roczny Program Współpracy" in text
    assert "Załącznik do uchwały nr LXVIII/930/2023 z dnia 23 listopada 2023" in text
    assert "zażółć gęślą jaźń" in text
    assert "2. Zasady współpracy" in text and "Pomocniczość" in text


def test_programme_as_docx_and_odt(client, adopted):
    docx = DocxDocument(io.BytesIO(_export(client, adopted, "programme", "docx")))
    paragraphs = [p.text for p in docx.paragraphs]
    assert "1. Cel główny i cele szczegółowe" in paragraphs
    assert "Cel główny: budowanie partnerstwa – zażółć gęślą jaźń." in paragraphs
    odt = zipfile.ZipFile(io.BytesIO(_export(client, adopted, "programme", "odt")))
    content = odt.read("content.xml").decode()
    assert "zażółć gęślą jaźń" in content and "Suwerenność stron" in content


def test_aggregated_list_of_proposals_as_xlsx_and_pdf(client, adopted):
    sheet = tablib.Dataset().load(_export(client, adopted, "proposals", "xlsx"), format="xlsx")
    assert "Proponowany zapis" in sheet.headers
    row = dict(zip(sheet.headers, sheet[0], strict=True))
    assert row["Odpowiedź"] == "przyjęta częściowo"
    assert row["Część programu"] == "2. Zasady współpracy"
    pdf = PdfReader(io.BytesIO(_export(client, adopted, "proposals", "pdf")))
    assert "Zbiorczy wykaz propozycji" in pdf.pages[0].extract_text()


def test_annual_report_planned_versus_actual(client, adopted):
    page = client.get(f"/leszno/programmes/{adopted}/report").get_data(as_text=True)
    assert "liczba ogłoszonych konkursów (plan: 12 )" in page, "a number as people write it"
    post_form(
        client,
        f"/leszno/programmes/{adopted}/report",
        {
            "version": page.split('name="version" type="hidden" value="', 1)[1].split('"', 1)[0],
            "report_tasks_commissioned": "91",
            "report_amount_spent": "2398120.50",
            "report_summary": "Program zrealizowano zgodnie z założeniami.",
            "report_published_on": "2025-05-28",
            "indicators-0-id": page.split('name="indicators-0-id" type="hidden" value="', 1)[
                1
            ].split('"', 1)[0],
            "indicators-0-actual": "13",
        },
    )
    docx = DocxDocument(io.BytesIO(_export(client, adopted, "report", "docx")))
    cells = [
        cell.text.replace("\xa0", " ")  # Polish thousands: non-breaking spaces
        for table in docx.tables
        for row in table.rows
        for cell in row.cells
    ]
    assert "2 398 120,50 zł" in cells and "1 250 000,00 zł" in cells
    assert "liczba ogłoszonych konkursów" in cells and "13" in cells and "12" in cells


OFFERED_FORMATS = [choice.value for choice in ExportForm.file_format.kwargs["choices"]]
PROGRAMME_DOCUMENTS = sorted(n for n in kinds() if page_of(n) == "programmes.export")


@pytest.mark.parametrize("file_format", OFFERED_FORMATS)
@pytest.mark.parametrize("document", PROGRAMME_DOCUMENTS)
def test_every_programme_document_exports_in_every_offered_format(
    client, adopted, document, file_format
):
    """Generated from the export form's choices: the programme's XLSX failed on every try."""
    data = _export(client, adopted, document, file_format)
    if file_format == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    elif file_format == "pdf":
        assert PdfReader(io.BytesIO(data)).pages
    else:
        assert zipfile.ZipFile(io.BytesIO(data)).namelist()
