from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_staff_record_and_publish_minutes_and_a_resident_reads_them(
    chromium, live_server, make_user
):
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")
    staff = chromium.new_context(locale="pl-PL").new_page()
    staff.goto(live_server + "/login")
    staff.get_by_label("E-mail").fill("b.grygier@leszno.pl")
    staff.get_by_label("Hasło").fill(PASSWORD)
    staff.get_by_role("button", name="Zaloguj się").click()

    staff.goto(live_server + "/leszno/meetings")
    staff.get_by_role("link", name="Dodaj spotkanie").click()
    staff.get_by_label("Tytuł").fill("Spotkanie z organizacjami pozarządowymi – program 2024")
    staff.get_by_label("Data", exact=True).fill("2023-07-13")
    staff.get_by_label("Prowadzący").fill("Anna Szymańska")
    agenda = staff.get_by_role("group", name="Program spotkania i przebieg")
    agenda.get_by_label("Punkt programu").first.fill("Omówienie zagadnień")
    agenda.get_by_label("Przebieg tego punktu (Markdown)").first.fill(
        "Przedstawiono **model współpracy**."
    )
    staff.get_by_label("Mocne strony (każda w osobnym wierszu)").fill(
        "regularne spotkania z NGO\nprzejrzyste konkursy"
    )
    staff.get_by_label("Zagrożenia (każde w osobnym wierszu)").fill("rosnące koszty")
    staff.get_by_role("button", name="Zapisz").click()
    expect(staff.get_by_text("Wersja robocza: widzą ją tylko pracownicy urzędu.")).to_be_visible()
    url = staff.url
    staff.get_by_role("button", name="Opublikuj protokół").click()
    expect(staff.get_by_text("Protokół został opublikowany")).to_be_visible()
    staff.context.close()

    resident = chromium.new_context(locale="pl-PL").new_page()
    resident.goto(url)
    expect(resident.get_by_role("heading", name="Ad. 1")).to_be_visible()
    expect(resident.locator("strong", has_text="model współpracy")).to_be_visible()
    swot = resident.get_by_role("table", name="Analiza SWOT")
    expect(swot).to_contain_text("regularne spotkania z NGO")
    expect(swot).to_contain_text("rosnące koszty")
    expect(resident.get_by_role("link", name="Zaloguj się")).to_be_visible()  # not logged in
    resident.context.close()


def test_staff_add_as_many_agenda_items_as_the_meeting_had(chromium, live_server, make_user):
    """The form offers two empty rows; "Dodaj wiersz" adds more, and all of them are saved."""
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")
    staff = chromium.new_context(locale="pl-PL").new_page()
    staff.goto(live_server + "/login")
    staff.get_by_label("E-mail").fill("b.grygier@leszno.pl")
    staff.get_by_label("Hasło").fill(PASSWORD)
    staff.get_by_role("button", name="Zaloguj się").click()
    staff.goto(live_server + "/leszno/meetings/new")
    staff.get_by_label("Tytuł").fill("Spotkanie konsultacyjne – program 2025")
    staff.get_by_label("Data", exact=True).fill("2024-07-11")
    agenda = staff.get_by_role("group", name="Program spotkania i przebieg")
    titles = ["Otwarcie", "Omówienie propozycji", "Warsztat SWOT", "Wnioski", "Zamknięcie"]
    for _ in range(len(titles) - agenda.get_by_label("Punkt programu").count()):
        agenda.get_by_role("button", name="Dodaj wiersz").click()
    for field, title in zip(agenda.get_by_label("Punkt programu").all(), titles, strict=True):
        field.fill(title)
    staff.get_by_role("button", name="Zapisz").click()
    expect(staff.get_by_text("Wersja robocza: widzą ją tylko pracownicy urzędu.")).to_be_visible()
    expect(staff.locator("main ol").first.get_by_role("listitem")).to_have_text(titles)
    staff.context.close()
