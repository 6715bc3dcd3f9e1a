from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.organisations.models import OrganisationMember
from app.programmes.models import Programme
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, live_server, email):
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()


def test_ngo_submits_a_proposal_and_later_reads_the_answer(
    chromium, live_server, make_user, tenants
):
    programme_id = factories.programme(
        tenants["leszno"], year=clock.today().year + 1, stage="proposals_open"
    ).id
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        programme.proposals_from = clock.today() - timedelta(days=1)
        programme.proposals_to = clock.today() + timedelta(days=7)
        db.session.commit()
    user = make_user("h.hendrysiak@echo.org.pl", name="Hanna Hendrysiak")
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    factories.registration(tenants["leszno"], echo)
    db.session.add(OrganisationMember(organisation=echo, user=user))
    db.session.commit()
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")

    ngo = chromium.new_context(locale="pl-PL").new_page()
    _log_in(ngo, live_server, "h.hendrysiak@echo.org.pl")
    ngo.goto(f"{live_server}/leszno/programmes/{programme_id}")
    ngo.get_by_role("link", name="Zgłoś propozycję do tego programu").click()
    ngo.get_by_label("Część programu").select_option("principles")
    ngo.get_by_label("Proponowany zapis").fill("Uprościć definicję zasady zrównoważonego rozwoju.")
    ngo.get_by_label("Uzasadnienie").fill("Obecna definicja jest niejasna.")
    ngo.get_by_role("button", name="Wyślij propozycję").click()
    expect(ngo.get_by_text("Czeka na odpowiedź urzędu.")).to_be_visible()

    staff = chromium.new_context(locale="pl-PL").new_page()
    _log_in(staff, live_server, "b.grygier@leszno.pl")
    staff.goto(f"{live_server}/leszno/programmes/{programme_id}/proposals")
    proposal = staff.get_by_role("article", name="Propozycja 1: 2. Zasady współpracy")
    expect(proposal).to_contain_text("Uprościć definicję zasady zrównoważonego rozwoju.")
    proposal.get_by_label("Odpowiedź").select_option("partly_accepted")
    proposal.get_by_label("Uzasadnienie").fill("Definicja zostanie uproszczona.")
    proposal.get_by_role("button", name="Zapisz odpowiedź").click()
    expect(staff.get_by_text("Odpowiedź została zapisana")).to_be_visible()

    ngo.goto(f"{live_server}/leszno/proposals/mine")
    expect(ngo.get_by_text("Odpowiedź: przyjęta częściowo")).to_be_visible()
    expect(ngo.get_by_text("Definicja zostanie uproszczona.")).to_be_visible()
    ngo.context.close()
    staff.context.close()
