"""The marshal office runs a whole programme cycle in Razem, like a city: its administrator
creates the draft, opens the collection of proposals, a regional NGO sends one, the office
answers it, consults the draft, records the council's (sejmik's) resolution and the report."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.organisations.models import OrganisationMember
from app.tenancy import clock
from tests import factories
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

MARSHAL = "wojewodztwo-wielkopolskie"
TEXTS = {
    "goals": "Cel główny: rozwój współpracy Samorządu Województwa z organizacjami.",
    "scope": "Zadania samorządu województwa realizowane przez organizacje z Wielkopolski.",
    "implementation": "Program realizuje Zarząd Województwa przy pomocy departamentów Urzędu.",
    "evaluation": "Departament monitoruje program według wskaźników i składa sprawozdanie.",
    "creation": "Propozycje organizacji zbierane w Razem, konsultacje projektu w Razem.",
    "commissions": "Komisje konkursowe powołuje Zarząd Województwa.",
}


def _log_in(page, live_server, email):
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()


def _next_stage(page, expected: str):
    page.get_by_role("button", name="Przejdź do następnego etapu").click()
    expect(page.locator(".cycle [aria-current='step']")).to_contain_text(expected, ignore_case=True)


def _close_early(page, reason: str):
    page.get_by_label("Powód").fill(reason)
    page.get_by_role("button", name="Zakończ wcześniej").click()
    expect(page.locator(".flash-success")).to_contain_text("Zakończono wcześniej")


def test_the_marshal_office_runs_a_full_programme_cycle(chromium, live_server, make_user, tenants):
    today = clock.today()
    year = today.year + 1
    make_user("wydzial.ngo@umww.example.pl", name="Marta Nowicka", **{MARSHAL: "admin"})
    user = make_user("szlak@example.pl", name="Jan Piastowski")
    foundation = factories.organisation("Fundacja Szlaku Piastowskiego")
    factories.registration(tenants[MARSHAL], foundation)
    db.session.add(OrganisationMember(organisation=foundation, user=user))
    db.session.commit()

    office = chromium.new_context(locale="pl-PL").new_page()
    office.set_default_timeout(10_000)
    _log_in(office, live_server, "wydzial.ngo@umww.example.pl")
    office.goto(f"{live_server}/{MARSHAL}/programmes")
    expect(office.get_by_role("heading", level=1)).to_have_text(
        "Programy współpracy Samorządu Województwa Wielkopolskiego"
    )
    office.get_by_role("link", name="Nowy program").click()
    title = (
        "Program współpracy Samorządu Województwa Wielkopolskiego z organizacjami "
        f"pozarządowymi na rok {year}"
    )
    office.get_by_label("Tytuł").fill(title)
    office.get_by_label("Pierwszy rok").fill(str(year))
    office.get_by_label("Ostatni rok").fill(str(year))
    office.get_by_role("button", name="Utwórz projekt").click()

    # the draft: every element art. 5a ust. 4 asks for, and the two windows
    office.get_by_label("Planowane środki (zł)").fill("9800000")
    office.get_by_label("Propozycje od").fill(today.isoformat())
    office.get_by_label("Propozycje do").fill((today + timedelta(days=14)).isoformat())
    office.get_by_label("Konsultacje od").fill(today.isoformat())
    office.get_by_label("Konsultacje do").fill((today + timedelta(days=14)).isoformat())
    for key, text in TEXTS.items():
        office.locator(f"#{key}").fill(text)
    office.get_by_label("Dodaj formy z katalogu").select_option(index=0)
    office.locator("#priority_tasks-0-description").fill("aktywizacja osób starszych")
    office.locator("#indicators-0-name").fill("liczba ogłoszonych otwartych konkursów ofert")
    office.locator("#indicators-0-planned").fill("14")
    office.get_by_role("button", name="Zapisz", exact=True).click()
    expect(office.get_by_role("heading", level=1)).to_have_text(title)
    programme_url = office.url.split("?")[0]
    programme_id = int(re.search(r"/programmes/(\d+)", programme_url).group(1))
    _next_stage(office, "przyjmowanie propozycji")

    ngo = chromium.new_context(locale="pl-PL").new_page()
    ngo.set_default_timeout(10_000)
    _log_in(ngo, live_server, "szlak@example.pl")
    ngo.goto(programme_url)
    ngo.get_by_role("link", name="Zgłoś propozycję do tego programu").click()
    ngo.get_by_label("Część programu").select_option("priority_tasks")
    ngo.get_by_label("Proponowany zapis").fill("Dodać zadanie: turystyka na Szlaku Piastowskim.")
    ngo.get_by_label("Uzasadnienie").fill("Szlak łączy pięć powiatów województwa.")
    ngo.get_by_role("button", name="Wyślij propozycję").click()
    expect(ngo.get_by_text("Czeka na odpowiedź urzędu.")).to_be_visible()

    office.goto(f"{programme_url}/proposals")
    proposal = office.get_by_role("article", name=re.compile("Propozycja 1"))
    expect(proposal).to_contain_text("turystyka na Szlaku Piastowskim")
    proposal.get_by_label("Odpowiedź").select_option("accepted")
    proposal.get_by_label("Uzasadnienie").fill("Zadanie dodano do programu.")
    proposal.get_by_role("button", name="Zapisz odpowiedź").click()
    expect(office.get_by_text("Odpowiedź została zapisana")).to_be_visible()

    office.goto(programme_url)
    _close_early(office, "Wszystkie organizacje zgłosiły już propozycje na spotkaniu.")
    _next_stage(office, "analiza propozycji")
    _next_stage(office, "konsultacje społeczne")
    _close_early(office, "Konsultacje przeprowadzono także na spotkaniu wojewódzkim.")
    _next_stage(office, "opiniowanie")
    _next_stage(office, "wersja ostateczna")

    office.get_by_label("Numer uchwały").fill("XV/321/" + str(year - 1))
    office.get_by_label("Data uchwały").fill(today.isoformat())
    office.get_by_role("button", name="Zapisz uchwalenie").click()
    expect(office.get_by_text("program jest uchwalony")).to_be_visible()
    _next_stage(office, "obowiązuje")

    office.get_by_role("link", name="Sprawozdanie roczne").click()
    office.get_by_label("Wydatkowane środki (zł)").fill("9650000")
    office.get_by_label("Data publikacji w BIP").fill(today.isoformat())
    office.get_by_role("button", name="Zapisz sprawozdanie").click()
    _next_stage(office, "po sprawozdaniu")

    # what the region's coordinator and the public read: the adopted programme and its report
    ngo.goto(f"{live_server}/{MARSHAL}/")
    expect(ngo.get_by_text(title).first).to_be_visible()
    assert programme_id
    office.context.close()
    ngo.context.close()
