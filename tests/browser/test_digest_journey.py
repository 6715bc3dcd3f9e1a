"""The daily digest, in the browser: a person of Leszno's office chooses a daily digest for
the proposals forwarded to her, three are forwarded, the day's command runs the digest job,
the SMTP peer receives one digest counting three, and its link stops that kind of e-mail."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app import unit_of_work
from app.extensions import db
from app.notifications import services
from app.notifications.catalogue import Delivery, Kind
from app.programmes import proposals
from app.programmes.models import Proposal
from app.tenancy.context import acting_as, tenant_scope
from tests import factories
from tests.browser.test_ways_in_journey import _log_in
from tests.conftest import Mailbox

pytestmark = pytest.mark.browser

ADDRESS = "m.nowak@leszno.pl"
FORWARDED = "Przekazano Ci propozycję lub uwagę z konsultacji do odpowiedzi"


def _forward_three_proposals(tenants, person) -> None:
    programme = factories.programme(tenants["leszno"], year=2027, stage="proposals_open")
    ids = [factories.proposal(tenants["leszno"], programme).id for _ in range(3)]
    with tenant_scope(tenants["leszno"].id):
        for proposal_id in ids:
            proposals.forward(db.session.get(Proposal, proposal_id), person)
        unit_of_work.commit()


def _to_her(mailbox) -> list:
    return [message for message in mailbox.messages if message["To"] == ADDRESS]


def test_a_daily_digest_comes_once_with_the_count_and_its_link_stops_the_kind(
    app, chromium, live_server, make_user, tenants, mailbox
):
    maria = make_user(ADDRESS, name="Maria Nowak", leszno="staff", locale="pl")
    page = chromium.new_context(locale="pl-PL").new_page()
    _log_in(page, live_server, ADDRESS)
    page.goto(live_server + "/account/notifications")
    page.get_by_label(FORWARDED).select_option(label="w codziennym zestawieniu e-mail")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_label(FORWARDED)).to_have_value(Delivery.DAILY.value)

    _forward_three_proposals(tenants, maria)
    assert _to_her(mailbox) == []  # nothing at once: she asked for the digest
    page.reload()
    expect(page.get_by_role("link", name="Powiadomienia (3 nieprzeczytane)")).to_be_visible()

    for _day_s_run in range(2):  # the daily command, run twice the same day: one digest
        result = app.test_cli_runner().invoke(args=["reminders", "send"])
        assert result.exit_code == 0, result.output
    (digest,) = _to_her(mailbox)
    assert digest["Subject"] == "Razem: nowe powiadomienia (3)"
    text = Mailbox.text_of(digest)
    assert text.count("Przekazano Ci do odpowiedzi propozycję do programu") == 3

    stop = re.search(rf"w sprawie: {FORWARDED} (\S+)", text).group(1)
    from_the_mail = chromium.new_context(locale="pl-PL").new_page()  # not logged in there
    from_the_mail.goto(live_server + urlsplit(stop).path)
    expect(from_the_mail.get_by_text(f"w sprawie: {FORWARDED}")).to_be_visible()
    from_the_mail.get_by_role("button", name="Nie wysyłaj mi tych wiadomości").click()
    expect(from_the_mail.get_by_text("Gotowe: nie będziemy już wysyłać")).to_be_visible()

    db.session.expire_all()
    with acting_as(maria.id):
        assert services.preferences_of(maria)[Kind.PROPOSAL_FORWARDED] == Delivery.OFF
    page.goto(live_server + "/account/notifications")
    expect(page.get_by_label(FORWARDED)).to_have_value(Delivery.OFF.value)
    from_the_mail.context.close()
    page.context.close()
