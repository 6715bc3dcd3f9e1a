"""Ways in, in the browser: a newcomer signs up from a city's list of organisations, follows
the link of the mail, claims an organisation by its KRS, the city accepts, and the newcomer
sends a proposal; a new organisation registers and asks two cities."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.programmes.models import Programme
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

KRS = "0001123450"
NEW_PASSWORD = "hasło-nowej-osoby-1"


def _log_in(page, live_server, email, password=PASSWORD):
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Hasło", exact=True).fill(password)
    page.get_by_role("button", name="Zaloguj się").click()


@pytest.fixture
def programme_collecting_proposals(tenants) -> int:
    programme_id = factories.programme(
        tenants["leszno"], year=clock.today().year + 1, stage="proposals_open"
    ).id
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        programme.proposals_from = clock.today() - timedelta(days=1)
        programme.proposals_to = clock.today() + timedelta(days=7)
        db.session.commit()
    return programme_id


def test_a_newcomer_signs_up_claims_an_organisation_and_sends_a_proposal(
    chromium, live_server, make_user, tenants, mailbox, programme_collecting_proposals
):
    organisation = factories.organisation("Stowarzyszenie Sąsiedzi z Zatorza", krs=KRS)
    factories.registration(tenants["leszno"], organisation)
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")

    newcomer = chromium.new_context(locale="pl-PL").new_page()
    newcomer.goto(live_server + "/leszno/organisations")
    newcomer.get_by_role(
        "link", name="Twoja organizacja działa w tym mieście? Poproś o rejestrację."
    ).click()
    expect(newcomer.get_by_role("heading", name="Załóż konto")).to_be_visible()
    newcomer.get_by_label("Imię i nazwisko").fill("Ewa Nowak")
    newcomer.get_by_label("E-mail").fill("ewa.nowak@example.pl")
    newcomer.get_by_label("Nowe hasło", exact=True).fill(NEW_PASSWORD)
    newcomer.get_by_label("Powtórz nowe hasło").fill(NEW_PASSWORD)
    newcomer.get_by_text("Jak przetwarzamy Twoje dane osobowe").click()
    expect(newcomer.get_by_text("Prezydent Miasta Leszna").first).to_be_visible()
    newcomer.get_by_label("Potwierdzam zapoznanie się").check()
    newcomer.get_by_role("button", name="Załóż konto").click()
    expect(newcomer.get_by_role("heading", name="Sprawdź skrzynkę pocztową")).to_be_visible()

    link = urlsplit(mailbox.link_in(mailbox.last_to("ewa.nowak@example.pl"))).path
    newcomer.goto(live_server + link)
    newcomer.get_by_role("button", name="Potwierdzam adres").click()
    expect(newcomer.get_by_text("Adres potwierdzony. Witamy w Razem.")).to_be_visible()

    # back on the request to be registered in Leszno, which shows the ways in
    newcomer.get_by_role("link", name="Znajdź moją organizację").click()
    newcomer.get_by_label("KRS, NIP lub REGON organizacji").fill(KRS)
    newcomer.get_by_role("button", name="Szukaj").click()
    expect(
        newcomer.get_by_role("heading", name="Stowarzyszenie Sąsiedzi z Zatorza")
    ).to_be_visible()
    newcomer.get_by_label("Twoja funkcja w organizacji").fill("prezeska zarządu")
    newcomer.get_by_role(
        "button", name="Poproś o możliwość działania w imieniu organizacji"
    ).click()
    expect(newcomer.get_by_text("Prośba została wysłana.")).to_be_visible()

    staff = chromium.new_context(locale="pl-PL").new_page()
    _log_in(staff, live_server, "b.grygier@leszno.pl")
    staff.goto(live_server + "/leszno/organisations/requests")
    claim = staff.get_by_role(
        "region",
        name="Ewa Nowak prosi o możliwość działania w imieniu organizacji "
        "Stowarzyszenie Sąsiedzi z Zatorza",
    )
    expect(claim).to_contain_text("prezeska zarządu")
    claim.get_by_role("button", name="Przyjmij").click()
    expect(staff.get_by_text("Przyjęto: Ewa Nowak działa teraz")).to_be_visible()

    newcomer.goto(f"{live_server}/leszno/programmes/{programme_collecting_proposals}")
    newcomer.get_by_role("link", name="Zgłoś propozycję do tego programu").click()
    newcomer.get_by_label("Część programu").select_option("principles")
    newcomer.get_by_label("Proponowany zapis").fill("Dodać zasadę sąsiedzkiej pomocy.")
    newcomer.get_by_label("Uzasadnienie").fill("Tak działamy na Zatorzu.")
    newcomer.get_by_role("button", name="Wyślij propozycję").click()
    expect(newcomer.get_by_text("Czeka na odpowiedź urzędu.")).to_be_visible()
    newcomer.context.close()
    staff.context.close()


def test_a_new_organisation_registers_and_asks_two_cities(
    chromium, live_server, make_user, tenants
):
    make_user("jan.kowalski@example.pl", name="Jan Kowalski")
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")
    make_user("k.wisniewska@kalisz.pl", name="Katarzyna Wiśniewska", kalisz="admin")

    person = chromium.new_context(locale="pl-PL").new_page()
    _log_in(person, live_server, "jan.kowalski@example.pl")
    person.goto(live_server + "/organisations/start")
    person.get_by_role("link", name="Zarejestruj nową organizację").click()
    person.get_by_label("Nazwa organizacji").fill("Fundacja Zielone Podwórko")
    person.get_by_label("Forma prawna").select_option("foundation")
    person.get_by_label("Numer KRS").fill("0001099887")
    person.get_by_label("Leszno").check()
    person.get_by_label("Kalisz").check()
    person.get_by_role("button", name="Zapisz").click()
    expect(person.get_by_text("miasta otrzymały Twoje wnioski")).to_be_visible()
    expect(person.get_by_role("heading", name="Fundacja Zielone Podwórko")).to_be_visible()

    for email, city in (("b.grygier@leszno.pl", "leszno"), ("k.wisniewska@kalisz.pl", "kalisz")):
        staff = chromium.new_context(locale="pl-PL").new_page()
        _log_in(staff, live_server, email)
        staff.goto(f"{live_server}/{city}/organisations/requests")
        request = staff.get_by_role("region", name="Fundacja Zielone Podwórko")
        request.get_by_role("button", name="Przyjmij").click()
        expect(staff.get_by_role("region", name="Fundacja Zielone Podwórko")).to_have_count(0)
        staff.context.close()

    person.goto(live_server + "/organisations/mine")
    expect(person.get_by_role("row", name="Kalisz")).to_contain_text("aktywna")
    expect(person.get_by_role("row", name="Leszno")).to_contain_text("aktywna")
    person.context.close()
