"""The region's documents for its coordinator: the adoption matrix printed in colour with a
legend (the mark and the word say what the colour does), the benchmark as PDF and XLSX."""

from __future__ import annotations

import io
import subprocess

import openpyxl
import pytest
from pypdf import PdfReader

from tests import factories
from tests.conftest import log_in, post_form
from tests.regions.test_benchmark import cities, mid_2024  # noqa: F401 - fixtures

ADOPTED_GREEN = (0xD8, 0xEF, 0xD9)
IN_PROGRESS_AMBER = (0xFF, 0xE8, 0xB0)


def _download(client, url: str, data: dict) -> bytes:
    job_url = post_form(client, url, data).location
    status = client.get(job_url + "/status.json").json
    assert status["status"] == "done", status
    return client.get(job_url + "/download").get_data()


def _pdf_text(data: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.replace("\xa0", " ").split())


def _colours(pdf: bytes) -> set[tuple[int, int, int]]:
    """Every colour on the first page, from pdftoppm's plain PPM (no image library needed)."""
    ppm = subprocess.run(
        ["pdftoppm", "-r", "20", "-f", "1", "-l", "1", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    header_end, fields = 0, []
    while len(fields) < 4:  # P6, width, height, maximum value
        start = header_end
        header_end = ppm.index(b"\n", start) + 1
        fields += ppm[start:header_end].split()
    pixels = ppm[header_end:]
    return {tuple(pixels[i : i + 3]) for i in range(0, len(pixels), 3)}


@pytest.fixture
def coordinator(client, make_user, regions, tenants):
    project = factories.standards_project(regions["wielkopolskie"], standards=3)
    first, second, third = project.blocks[0].standards
    factories.adoption(tenants["leszno"], first, "adopted")
    factories.adoption(tenants["leszno"], second, "in_progress")
    factories.adoption(tenants["kalisz"], third, "not_applicable")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    return project


def test_the_matrix_pdf_has_colours_and_a_legend_in_words(client, coordinator):
    url = f"/regions/wielkopolskie/projects/{coordinator.id}/adoption/export"
    pdf = _download(client, url, {"file_format": "pdf"})
    assert {ADOPTED_GREEN, IN_PROGRESS_AMBER} <= _colours(pdf)
    text = _pdf_text(pdf)
    assert "Legenda" in text
    for status in ("uchwalony", "w toku", "zaplanowany", "nierozpoczęty", "nie dotyczy"):
        assert status in text
    assert "✓ uchwalony" in text and "◐ w toku" in text, "a mark beside the word, too"
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height


def test_the_matrix_spreadsheet_keeps_the_colours_and_the_csv_the_matrix(client, coordinator):
    url = f"/regions/wielkopolskie/projects/{coordinator.id}/adoption/export"
    book = openpyxl.load_workbook(io.BytesIO(_download(client, url, {"file_format": "xlsx"})))
    matrix = book["Wdrożenie w miastach"]
    leszno = next(row for row in matrix.iter_rows(min_row=2) if row[0].value == "Leszno")
    assert leszno[1].value == "uchwalony", "the word alone, to filter by"
    assert leszno[1].fill.fgColor.rgb.endswith("D8EFD9")
    csv = _download(client, url, {"file_format": "csv"}).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Miasto;")


def test_the_benchmark_as_pdf_is_a_landscape_table_in_polish(client, make_user, cities):  # noqa: F811
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    page = client.get("/regions/wielkopolskie/benchmark?year=2024").get_data(as_text=True)
    assert 'action="/regions/wielkopolskie/benchmark/export"' in page
    pdf = _download(
        client, "/regions/wielkopolskie/benchmark/export", {"year": "2024", "file_format": "pdf"}
    )
    text = _pdf_text(pdf)
    assert "Porównanie jakości współpracy 2024" in text
    assert "20,36 zł" in text  # Leszno's budget per resident, the Polish way
    assert "Jak obliczono wskaźniki" in text and "brak danych" in text
    first = PdfReader(io.BytesIO(pdf)).pages[0]
    assert first.mediabox.width > first.mediabox.height


def test_the_benchmark_spreadsheet_holds_numbers(client, make_user, cities):  # noqa: F811
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    data = _download(
        client, "/regions/wielkopolskie/benchmark/export", {"year": "2024", "file_format": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Wskaźniki według miast"]
    headers = [cell.value for cell in sheet[1]]
    leszno = {
        header: cell
        for header, cell in zip(
            headers,
            next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Leszno"),
            strict=True,
        )
    }
    assert leszno["Program uchwalony w terminie"].value == "tak"
    assert leszno["Otrzymane propozycje"].value == 2
    assert leszno["Odpowiedzi na propozycje"].value == 0.5
    assert leszno["Odpowiedzi na propozycje"].number_format == "0%"
    assert leszno["Budżet współpracy na mieszkańca"].value == pytest.approx(20.36)
    assert "zł" in leszno["Budżet współpracy na mieszkańca"].number_format


def test_only_the_regions_coordinator_exports_its_benchmark(client, make_user, cities):  # noqa: F811
    make_user("admin@leszno.pl", leszno="admin")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    data = {"year": "2024", "file_format": "pdf"}
    log_in(client, "admin@leszno.pl")
    assert post_form(client, "/regions/wielkopolskie/benchmark/export", data).status_code == 403
    post_form(client, "/logout")
    log_in(client, "koordynator@pomorskie.pl")
    assert post_form(client, "/regions/wielkopolskie/benchmark/export", data).status_code == 403


@pytest.mark.parametrize("year", ["1999", "dwa tysiące", ""])
def test_a_year_out_of_range_is_refused(client, make_user, year):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    response = post_form(
        client, "/regions/wielkopolskie/benchmark/export", {"year": year, "file_format": "pdf"}
    )
    assert response.status_code == 400


MARSHAL = "wojewodztwo-wielkopolskie"


def test_the_marshal_office_is_a_row_apart_in_the_benchmarks_pdf_and_spreadsheet(
    client,
    make_user,
    cities,  # noqa: F811
):
    factories.programme(cities[MARSHAL], year=2024)  # adopted late: "nie" on time
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    export = "/regions/wielkopolskie/benchmark/export"

    text = _pdf_text(_download(client, export, {"year": "2024", "file_format": "pdf"}))
    book = openpyxl.load_workbook(
        io.BytesIO(_download(client, export, {"year": "2024", "file_format": "xlsx"}))
    )

    # the caption of the table apart; a cell's words wrap in the narrow first column
    compared, apart = text.split("Samorząd województwa", 1)
    assert "Leszno" in compared and "Wielkopolskie" not in compared
    assert "Województwo nie brak danych" in apart and "Wielkopolskie" in apart
    assert "jego wiersz pokazano osobno" in apart
    by_city = [row[0].value for row in book["Wskaźniki według miast"].iter_rows(min_row=2)]
    assert "Leszno" in by_city and "Województwo Wielkopolskie" not in by_city
    own = book["Samorząd województwa"]
    headers = [cell.value for cell in own[1]]
    rows = [[cell.value for cell in row] for row in own.iter_rows(min_row=2)]
    assert headers[0] == "Samorząd"
    assert len(rows) == 1 and rows[0][0] == "Województwo Wielkopolskie"
    assert dict(zip(headers, rows[0], strict=True))["Program uchwalony w terminie"] == "nie"
