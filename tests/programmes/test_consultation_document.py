"""The report of the public consultation as the document a city publishes in its BIP: when the
draft was open, who commented, each comment with the city's answer, and the counts."""

from __future__ import annotations

import io
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from docx import Document as DocxDocument
from odf import teletype
from odf.opendocument import load
from pypdf import PdfReader

from app.extensions import db
from app.programmes.models import Comment, Programme
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

TITLE = (
    "Roczny Program Współpracy Miasta Leszna z Organizacjami Pozarządowymi oraz podmiotami "
    "wymienionymi w art. 3 ust. 3 ustawy, na 2024 rok"
)
AT = datetime(2023, 10, 5, 12, tzinfo=ZoneInfo("Europe/Warsaw"))


def _comment(programme_id, organisation, element, body, answer=None, outcome=None, author=None):
    return Comment(
        programme_id=programme_id,
        organisation_id=organisation.id if organisation else None,
        author_id=author,
        element=element,
        body=body,
        answer=answer,
        taken_into_account=outcome,
        created_at=AT,
    )


@pytest.fixture
def consulted(tenants, client, make_user):
    leszno = tenants["leszno"]
    programme_id = factories.programme(leszno, stage="consultation", complete=True).id
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    fundacja = factories.organisation("Fundacja Zdrowie i Ty")
    resident = make_user("mieszkanka@example.pl", name="Anna Szymańska")
    with tenant_scope(leszno.id):
        programme = db.session.get(Programme, programme_id)
        programme.title = TITLE
        programme.consultation_from, programme.consultation_to = (
            date(2023, 10, 2),
            date(2023, 10, 16),
        )
        db.session.add_all(
            [
                _comment(
                    programme_id,
                    echo,
                    "goals",
                    "Dopisać cel dotyczący wolontariatu seniorów.",
                    "Cel dopisano w § 2 ust. 2 pkt 5.",
                    "yes",
                ),
                _comment(
                    programme_id,
                    echo,
                    "budget",
                    "Zwiększyć środki na małe granty do 150 000 zł.",
                    "Budżet miasta na 2024 r. nie pozwala zwiększyć środków.",
                    "no",
                ),
                _comment(
                    programme_id,
                    fundacja,
                    "priority_tasks",
                    "Dodać profilaktykę zdrowia psychicznego młodzieży.",
                    "Dopisano w obszarze ochrony zdrowia, bez nowego konkursu.",
                    "partly",
                ),
                _comment(
                    programme_id,
                    None,
                    "principles",
                    "Opisać zasadę jawności szerzej.",
                    author=resident.id,
                ),
            ]
        )
        db.session.commit()
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    return programme_id


def _export(client, programme_id: int, file_format: str) -> bytes:
    job_url = post_form(
        client,
        f"/leszno/programmes/{programme_id}/export",
        {"document": "consultation", "file_format": file_format},
    ).location
    status = client.get(job_url + "/status.json").json
    assert status["status"] == "done", status
    return client.get(job_url + "/download").get_data()


EXPECTED = [
    "Raport z konsultacji społecznych",
    "Od 2 października 2023 r. do 16 października 2023 r. można było zgłaszać uwagi do projektu.",
    "Wpłynęły 4 uwagi od 3 podmiotów.",
    "Stowarzyszenie „ECHO”",
    "Fundacja Zdrowie i Ty",
    "1 osoba prywatna",
    "Zwiększyć środki na małe granty do 150 000 zł.",
    "Budżet miasta na 2024 r. nie pozwala zwiększyć środków.",
    "Uwzględnione częściowo",
    "Nieuwzględnione",
    "jeszcze bez odpowiedzi",
]


def _flat(text: str) -> str:
    """Text as read: non-breaking spaces as spaces, words hyphenated at a line's end joined."""
    return " ".join(text.replace("\xa0", " ").replace("\u2010 ", "").split())


def test_the_report_as_pdf_says_who_commented_and_what_the_city_answered(client, consulted):
    pdf = PdfReader(io.BytesIO(_export(client, consulted, "pdf")))
    text = _flat(" ".join(page.extract_text() for page in pdf.pages))
    for expected in EXPECTED:
        assert _flat(expected) in text, expected
    assert "Anna Szymańska" not in text  # a person on their own is not named in BIP


def test_the_report_as_docx_and_odt_is_polish_a4(client, consulted):
    docx = DocxDocument(io.BytesIO(_export(client, consulted, "docx")))
    texts = [p.text for p in docx.paragraphs] + [
        cell.text for table in docx.tables for row in table.rows for cell in row.cells
    ]
    docx_text = _flat(" ".join(texts))
    odt = load(io.BytesIO(_export(client, consulted, "odt")))
    odt_text = _flat(teletype.extractText(odt.text))
    for expected in EXPECTED:
        assert _flat(expected) in docx_text, expected
        assert _flat(expected) in odt_text, expected
    assert round(docx.sections[0].page_width.cm, 1) == 21.0
    assert docx.core_properties.language == "pl-PL"


def test_the_counts_are_numbers_in_the_spreadsheet(client, consulted):
    book = openpyxl.load_workbook(io.BytesIO(_export(client, consulted, "xlsx")))
    counts = book["Uwagi w liczbach"]
    assert [cell.value for cell in counts[1]] == [
        "Uwagi",
        "Z odpowiedzią",
        "Uwzględnione",
        "Uwzględnione częściowo",
        "Nieuwzględnione",
    ]
    assert [cell.value for cell in counts[2]] == [4, 3, 1, 1, 1]


def test_the_report_page_offers_the_document_to_the_office_only(client, consulted, make_user):
    page = client.get(f"/leszno/programmes/{consulted}/consultation-report").get_data(as_text=True)
    assert 'name="document" value="consultation"' in page
    post_form(client, "/logout")
    make_user("ngo@example.pl", leszno="ngo")
    log_in(client, "ngo@example.pl")
    page = client.get(f"/leszno/programmes/{consulted}/consultation-report").get_data(as_text=True)
    assert 'value="consultation"' not in page


def test_an_organisation_cannot_export_the_report(client, consulted, make_user):
    post_form(client, "/logout")
    make_user("ngo@example.pl", leszno="ngo")
    log_in(client, "ngo@example.pl")
    response = post_form(
        client,
        f"/leszno/programmes/{consulted}/export",
        {"document": "consultation", "file_format": "pdf"},
    )
    assert response.status_code == 403


def test_the_pdf_pages_render_to_images(client, consulted, tmp_path):
    """Pages a person can look at: pdftoppm turns each into a PNG."""
    (tmp_path / "report.pdf").write_bytes(_export(client, consulted, "pdf"))
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        check=True,
    )
    assert sorted(tmp_path.glob("page*.png"))
