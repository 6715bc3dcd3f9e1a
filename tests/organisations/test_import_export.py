"""Import of the lists city halls keep, and export of the register — with bad rows,
Windows-1250 files and a second run that changes nothing."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import tablib
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.models import JobRecord
from app.organisations.models import Organisation, Registration
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

HEADER = ["Lp.", "Nazwa", "Forma prawna", "KRS", "NIP", "REGON", "Adres", "E-mail", "Telefon"]
ROWS = [
    [
        "1",
        "Stowarzyszenie „Nasza Alternatywa”",
        "stowarzyszenie",
        "0000112233",
        "6972176310",
        "411081180",
        "ul. Słowiańska 9, 64-100 Leszno",
        "biuro@nasza-alternatywa.demo",
        "65 529 11 22",
    ],
    [
        "2",
        "Fundacja „Źródło”",
        "fundacja",
        "",
        "8567346215",
        "",
        "ul. Żeromskiego 4, 64-100 Leszno",
        "",
        "",
    ],
    ["3", "Stowarzyszenie z błędnym NIP", "stowarzyszenie", "", "8567346216", "", "", "", ""],
    ["4", "", "fundacja", "", "", "", "ul. Bez Nazwy 1", "", ""],
    ["5", "Fundacja „Źródło” (drugi raz)", "fundacja", "", "856-734-62-15", "", "", "", ""],
    ["6", "Koło Gospodyń Wiejskich w Gronówku", "KGW", "", "", "", "Gronówko 12", "", ""],
]


def csv_bytes(rows=ROWS, header=HEADER, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def staff(client, make_user):
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    return client


def upload(client, data: bytes, filename: str, slug: str = "leszno"):
    return post_form(
        client,
        f"/{slug}/organisations/import",
        {"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
        headers={"Accept-Language": "pl"},
    )


def confirm(client, slug: str = "leszno") -> JobRecord:
    response = post_form(
        client,
        f"/{slug}/organisations/import/preview",
        {**_current_mapping(client, slug), "confirm": "1"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]
    return factories.job(response.location.rsplit("/", 1)[-1])


def _current_mapping(client, slug: str) -> dict:
    with client.session_transaction() as session:
        mapping = session["organisation_import"]["mapping"]
    return {f"column-{name}": str(index) for name, index in mapping.items()}


def test_preview_reports_every_bad_row_and_saves_nothing(staff):
    assert upload(staff, csv_bytes(), "baza_ngo.csv").status_code == 302
    page = staff.get("/leszno/organisations/import/preview").get_data(as_text=True)
    assert "NIP ma błędną cyfrę kontrolną" in page  # row 4 of the sheet
    assert "brak nazwy" in page
    assert "ta sama organizacja co w wierszu 3" in page
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_import_job_imports_good_rows_links_existing_and_is_idempotent(staff, tenants):
    existing = factories.organisation("Stowarzyszenie „Nasza Alternatywa”", krs="0000112233")
    factories.registration(tenants["kalisz"], existing)
    upload(staff, csv_bytes(), "baza_ngo.csv")
    first = confirm(staff)
    assert first.status == "done", first.error
    assert first.summary == {"new": 2, "link": 1, "unchanged": 0, "error": 3}
    names = set(db.session.scalars(select(Organisation.name)))
    assert {"Fundacja „Źródło”", "Koło Gospodyń Wiejskich w Gronówku"} <= names
    kgw = db.session.scalar(select(Organisation).where(Organisation.name.like("Koło%")))
    assert kgw.legal_form == "rural_housewives_circle"
    assert existing.address is None  # the profile in Razem is not overwritten by the file

    report = staff.get(f"/jobs/{first.id}/download").get_data().decode("utf-8-sig")
    assert "8567346216" not in report and "NIP ma błędną cyfrę kontrolną" in report

    upload(staff, csv_bytes(), "baza_ngo.csv")
    second = confirm(staff)
    assert second.summary == {"new": 0, "link": 0, "unchanged": 3, "error": 3}
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 3
    with tenant_scope(tenants["leszno"].id):  # the city's register, read in the city
        registered = db.session.scalar(select(func.count()).select_from(Registration))
    assert registered == 3


def test_windows_1250_csv_is_read_with_its_diacritics(staff):
    upload(staff, csv_bytes(encoding="cp1250"), "eksport_z_excela.csv")
    page = staff.get("/leszno/organisations/import/preview").get_data(as_text=True)
    assert "Fundacja „Źródło”" in page and "Koło Gospodyń Wiejskich w Gronówku" in page


def test_unreadable_encoding_and_wrong_files_get_a_clear_message(staff):
    garbage = b"Nazwa;NIP\n" + bytes(range(0x80, 0xA0)) * 3 + b";123\n"
    page = upload(staff, garbage, "lista.csv").get_data(as_text=True)
    assert "Nie rozpoznano kodowania pliku" in page
    assert "Wybierz plik CSV, XLSX lub ODS" in upload(staff, b"%PDF-1.4", "lista.pdf").get_data(
        as_text=True
    )
    broken = upload(staff, b"PK\x03\x04 not really a spreadsheet", "lista.xlsx")
    assert broken.status_code == 422 and "XLSX" in broken.get_data(as_text=True)


def test_a_file_without_a_name_column_asks_for_the_mapping(staff):
    upload(staff, csv_bytes(rows=[["x", "1"]], header=["Kolumna", "Numer"]), "lista.csv")
    page = staff.get("/leszno/organisations/import/preview").get_data(as_text=True)
    assert "Wskaż kolumnę z nazwą organizacji." in page
    response = post_form(
        staff, "/leszno/organisations/import/preview", {"column-name": "0", "confirm": "1"}
    )
    assert response.status_code == 302  # mapped by hand, it imports


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_spreadsheets_import_too(staff, file_format):
    sheet = tablib.Dataset(*ROWS[:2], headers=HEADER)
    upload(staff, sheet.export(file_format), f"baza.{file_format}")
    assert confirm(staff).summary["new"] == 2


@pytest.mark.parametrize("file_format", ["xlsx", "ods", "csv"])
def test_export_round_trip_into_another_city(client, make_user, tenants, file_format):
    for name, nip in (("Stowarzyszenie „ECHO”", "8567346215"), ("Fundacja „Źródło”", None)):
        factories.registration(tenants["leszno"], factories.organisation(name, nip=nip))
    make_user("b.grygier@leszno.pl", leszno="staff", konin="staff")
    log_in(client, "b.grygier@leszno.pl")
    job_url = post_form(client, "/leszno/organisations/export", {"format": file_format}).location
    exported = client.get(job_url + "/download")
    assert exported.status_code == 200
    data = exported.get_data()
    if file_format == "csv":
        sheet = tablib.Dataset().load(data.decode("utf-8-sig"), format="csv", delimiter=";")
    else:
        sheet = tablib.Dataset().load(data, format=file_format)
    assert sheet.headers[:4] == ["Nazwa", "Nazwa skrócona", "Forma prawna", "KRS"]
    assert sorted(sheet["Nazwa"]) == ["Fundacja „Źródło”", "Stowarzyszenie „ECHO”"]
    assert "stowarzyszenie" in sheet["Forma prawna"]
    assert sheet["Status"] == ["aktywna", "aktywna"], "statuses in Polish, as the headers"
    if file_format == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["Organizacje"]

    upload(client, data, f"z_leszna.{file_format}", slug="konin")
    job = confirm(client, slug="konin")
    assert job.summary == {"new": 0, "link": 2, "unchanged": 0, "error": 0}


def test_import_pages_are_for_staff(client, make_user):
    make_user("h.hendrysiak@echo.org.pl", leszno="ngo")
    log_in(client, "h.hendrysiak@echo.org.pl")
    assert client.get("/leszno/organisations/import").status_code == 403
    assert post_form(client, "/leszno/organisations/export", {"format": "csv"}).status_code == 403


def test_the_import_report_is_in_polish(client, make_user, tenants):
    """What each row became and which fields differ, in the words of the register."""
    factories.registration(
        tenants["kalisz"], factories.organisation("Stowarzyszenie „ECHO”", nip="8567346215")
    )
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    rows = [
        "Nazwa;NIP;Adres",
        "Stowarzyszenie „ECHO”;8567346215;ul. Inna 1, Leszno",
        "Fundacja Nowa;;ul. Nowa 2, Leszno",
    ]
    upload(client, "\n".join(rows).encode("utf-8-sig"), "lista.csv")
    job = confirm(client)
    report = client.get(f"/jobs/{job.id}/download").get_data().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(report), delimiter=";"))
    assert lines[0] == ["Wiersz", "Nazwa", "Wynik", "Powody", "Pola różne od danych w Razem"]
    outcomes = {line[1]: (line[2], line[4]) for line in lines[1:]}
    assert outcomes["Fundacja Nowa"] == ("nowa organizacja", "")
    outcome, differs = outcomes["Stowarzyszenie „ECHO”"]
    assert outcome.startswith("już jest w Razem") and differs == "Adres"
