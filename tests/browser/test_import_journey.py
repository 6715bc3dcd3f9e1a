from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

LISTA = (
    "Nazwa;KRS;NIP;Adres;Telefon\n"
    "Stowarzyszenie „Nasza Alternatywa”;0000112233;6972176310;ul. Słowiańska 9, 64-100 Leszno;"
    "65 529 11 22\n"
    "Fundacja „Źródło”;;8567346216;ul. Żeromskiego 4;\n"
).encode("cp1250")


def test_staff_import_a_file_and_see_the_result(page, live_server, make_user):
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill("b.grygier@leszno.pl")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()

    page.goto(live_server + "/leszno/organisations")
    page.get_by_role("link", name="Import z pliku").click()
    page.get_by_label("Lista organizacji").set_input_files(
        {"name": "baza_ngo_2023.csv", "mimeType": "text/csv", "buffer": LISTA}
    )
    page.get_by_role("button", name="Pokaż, co zostanie zaimportowane").click()

    expect(page.get_by_role("heading", name="Co zrobi import")).to_be_visible()
    rows = page.get_by_role("table", name="Wiersze pliku")
    expect(rows).to_contain_text("Stowarzyszenie „Nasza Alternatywa”")
    expect(rows).to_contain_text("NIP ma błędną cyfrę kontrolną")
    page.get_by_role("button", name="Importuj", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Gotowe")
    expect(page.locator("dl.facts")).to_contain_text("nowe organizacje")
    page.get_by_role("link", name="Wróć: Leszno").click()
    page.get_by_role("link", name="Organizacje", exact=True).click()
    expect(page.get_by_role("link", name="Stowarzyszenie „Nasza Alternatywa”")).to_be_visible()
    expect(page.get_by_text("Fundacja „Źródło”")).to_have_count(0)
