"""People are told what concerns them: once per event, in Razem always, by e-mail as each
chose (at once, in one daily digest, or not at all), every e-mail stopping its kind."""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.notifications import events
from app.notifications.catalogue import Kind
from app.notifications.models import Notification
from app.organisations.models import OrganisationMember
from app.programmes.models import Programme
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.tenancy.resolution import visiting
from tests import factories
from tests.conftest import log_in, post_form

PL = {"Accept-Language": "pl"}


@pytest.fixture(autouse=True)
def in_july(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 7, 10, 9, 0, tzinfo=UTC))


@pytest.fixture
def people(app, make_user, tenants):
    """Leszno's staff; ECHO's representative (active in Leszno); a Kalisz NGO's."""
    staff = make_user("b.grygier@leszno.pl", leszno="staff", locale="pl")
    echo_person = make_user("h.hendrysiak@echo.org.pl", locale="pl")
    kalisz_person = make_user("prezes@promyk-kalisz.pl", locale="pl")
    for person, city in ((echo_person, "leszno"), (kalisz_person, "kalisz")):
        organisation = factories.registration(tenants[city]).organisation
        db.session.add(OrganisationMember(organisation_id=organisation.id, user=person))
    db.session.commit()
    clients = {}
    for name, person in (("staff", staff), ("echo", echo_person), ("kalisz", kalisz_person)):
        clients[name] = app.test_client()
        log_in(clients[name], person.email)
    return clients


def _programme_ready_for_proposals(tenant, year: int = 2027) -> int:
    programme_id = factories.programme(tenant, year=year, complete=True).id
    with tenant_scope(tenant.id):
        programme = db.session.get(Programme, programme_id)
        programme.proposals_from, programme.proposals_to = date(2026, 7, 10), date(2026, 7, 24)
        db.session.commit()
    return programme_id


def _open_proposals(staff, programme_id: int) -> None:
    post_form(staff, f"/leszno/programmes/{programme_id}/stage", {"stage": "proposals_open"})


def _notifications(email: str) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Notification).where(Notification.user_id == _user_id(email)))
    )


def _user_id(email: str) -> int:
    from app.accounts.models import User

    return db.session.scalar(select(User.id).where(User.email == email))


def test_opening_proposals_tells_the_city_s_organisations_once(app, people, tenants, mailbox):
    programme_id = _programme_ready_for_proposals(tenants["leszno"])
    url = f"/leszno/programmes/{programme_id}/stage"

    post_form(people["staff"], url, {"stage": "proposals_open"})

    told = mailbox.last_to("h.hendrysiak@echo.org.pl")
    assert "Trwa zbieranie propozycji" in told["Subject"]
    assert f"/leszno/programmes/{programme_id}" in told.get_content()
    assert "/notifications/stop/" in told.get_content()
    assert [n.kind for n in _notifications("h.hendrysiak@echo.org.pl")] == ["proposals_opened"]
    assert not [m for m in mailbox.messages if m["To"] == "prezes@promyk-kalisz.pl"]
    page = people["echo"].get("/notifications", headers=PL).get_data(as_text=True)
    assert "Trwa zbieranie propozycji do programu" in page

    with app.test_request_context(), visiting(tenants["leszno"]):  # told again: nobody twice
        events.window_opened(db.session.get(Programme, programme_id), Kind.PROPOSALS_OPENED)
        db.session.commit()
    sent = [m for m in mailbox.messages if m["To"] == "h.hendrysiak@echo.org.pl"]
    assert len(sent) == 1 and len(_notifications("h.hendrysiak@echo.org.pl")) == 1


def test_a_stop_link_ends_e_mails_of_its_kind_but_not_the_notifications(
    app, people, tenants, mailbox
):
    first = _programme_ready_for_proposals(tenants["leszno"])
    _open_proposals(people["staff"], first)
    link = mailbox.link_in(mailbox.last_to("h.hendrysiak@echo.org.pl"))
    stop = next(
        line.split()[-1]
        for line in mailbox.last_to("h.hendrysiak@echo.org.pl").get_content().splitlines()
        if "/notifications/stop/" in line
    )
    assert link != stop
    anonymous = app.test_client()
    path = stop.removeprefix("http://localhost")

    page = anonymous.get(path, headers=PL)  # a mail scanner opening the link stops nothing
    assert page.status_code == 200 and "Nie wysyłaj mi tych wiadomości" in page.text
    post_form(anonymous, path)
    mailbox.clear()

    second = _programme_ready_for_proposals(tenants["leszno"], year=2028)
    _open_proposals(people["staff"], second)

    assert not [m for m in mailbox.messages if m["To"] == "h.hendrysiak@echo.org.pl"]
    assert len(_notifications("h.hendrysiak@echo.org.pl")) == 2
    assert anonymous.get(path[:-3] + "xyz").status_code == 404  # a forged link


def test_the_daily_digest_comes_once_a_day_with_everything_waiting(app, people, tenants, mailbox):
    """New proposals reach the city's staff in the daily digest by default."""
    programme_id = _programme_ready_for_proposals(tenants["leszno"])
    post_form(
        people["staff"], f"/leszno/programmes/{programme_id}/stage", {"stage": "proposals_open"}
    )
    propose = f"/leszno/programmes/{programme_id}/proposals/new"
    form = lxml.html.fromstring(people["echo"].get(propose).text)
    organisation = form.xpath("//select[@name='organisation_id']/option/@value")[0]
    for text in ("Dodać cel: wolontariat seniorów.", "Dodać zadanie: sport dzieci."):
        post_form(
            people["echo"],
            propose,
            {"organisation_id": organisation, "element": "goals", "proposed_text": text},
        )
    assert not [m for m in mailbox.messages if m["To"] == "b.grygier@leszno.pl"]

    runner = app.test_cli_runner()
    for _ in range(2):  # the daily job run twice on one day
        runner.invoke(args=["reminders", "send", "--today", "2026-07-10"])

    digests = [m for m in mailbox.messages if m["To"] == "b.grygier@leszno.pl"]
    assert len(digests) == 1
    body = digests[0].get_content()
    assert body.count("Nowa propozycja do programu") == 2
    assert "/notifications/stop/" in body and "/account/notifications" in body


def test_a_person_chooses_how_each_kind_comes(people, mailbox, tenants):
    page = people["echo"].get("/account/notifications", headers=PL)
    form = lxml.html.fromstring(page.text).xpath("//main//form")[0]
    assert len(form.xpath(".//select")) == 8
    post_form(people["echo"], "/account/notifications", {"proposals_opened": "daily"})

    programme_id = _programme_ready_for_proposals(tenants["leszno"])
    post_form(
        people["staff"], f"/leszno/programmes/{programme_id}/stage", {"stage": "proposals_open"}
    )

    assert not [m for m in mailbox.messages if m["To"] == "h.hendrysiak@echo.org.pl"]
    [waiting] = _notifications("h.hendrysiak@echo.org.pl")
    assert waiting.delivery == "daily" and waiting.mailed_at is None


def test_a_person_sees_only_their_own_notifications(people, tenants):
    programme_id = _programme_ready_for_proposals(tenants["leszno"])
    post_form(
        people["staff"], f"/leszno/programmes/{programme_id}/stage", {"stage": "proposals_open"}
    )

    mine = people["echo"].get("/notifications").get_data(as_text=True)
    theirs = people["kalisz"].get("/notifications").get_data(as_text=True)

    assert f"/leszno/programmes/{programme_id}" in mine
    assert f"/leszno/programmes/{programme_id}" not in theirs
    assert db.session.scalar(select(func.count(Notification.id))) == 1
