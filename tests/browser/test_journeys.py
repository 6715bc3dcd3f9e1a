from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_ngo_representative_logs_in_switches_city_and_logs_out(page, live_server, make_user):
    make_user("h.hendrysiak@echo.org.pl", name="Hanna Hendrysiak", leszno="ngo", kalisz="ngo")
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Województwo wielkopolskie")).to_be_visible()
    page.get_by_role("link", name="Zaloguj się").click()
    page.get_by_label("E-mail").fill("h.hendrysiak@echo.org.pl")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()

    expect(page.get_by_role("heading", name="Moje samorządy")).to_be_visible()
    page.get_by_role("link", name="Leszno").first.click()
    expect(page.get_by_role("heading", name="Leszno")).to_be_visible()

    page.get_by_label("Przejdź do").select_option("kalisz")
    page.get_by_role("button", name="Przejdź", exact=True).click()
    expect(page.get_by_role("heading", name="Kalisz")).to_be_visible()
    expect(page.get_by_text("Hanna Hendrysiak")).to_be_visible()  # still logged in

    page.get_by_role("button", name="Wyloguj się").click()
    expect(page.get_by_role("link", name="Zaloguj się")).to_be_visible()
    expect(page.get_by_text("Hanna Hendrysiak")).to_have_count(0)


def test_language_switch_to_english(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Regions and local governments")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
