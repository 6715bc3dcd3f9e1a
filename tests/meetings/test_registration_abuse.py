"""Anonymous registration is not a mail relay under the city's name (issue #11, item 3):
limits per address and per client, double opt-in for unknown addresses, no typed text in
the e-mails, names without control characters, a honeypot — alike in both doors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.meetings.models import EventRegistration, Meeting
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests.conftest import Mailbox, post_form
from tests.meetings.test_registration import confirm

PHISHING = "Twoje konto wygasło, zaloguj się: https://evil.example/login"


def _page(client, meeting_id: int, email: str, name: str = "Jan Kowalski", **extra):
    return post_form(
        client,
        f"/zyrardow/meetings/{meeting_id}/register",
        {"name": name, "email": email, "answer-0": "DZIAŁAJ.MY", **extra},
    )


def _api(client, meeting_id: int, email: str, name: str = "Jan Kowalski", **extra):
    return client.post(
        f"/api/v1/tenants/zyrardow/meetings/{meeting_id}/registrations",
        json={"name": name, "email": email, "answers": ["DZIAŁAJ.MY"], **extra},
    )


DOORS = {"page": _page, "api": _api}


def _registrations(tenants) -> list[EventRegistration]:
    with tenant_scope(tenants["zyrardow"].id):
        db.session.expire_all()
        return list(db.session.scalars(select(EventRegistration).order_by(EventRegistration.id)))


@pytest.mark.parametrize("door", DOORS)
def test_the_relay_of_25_mails_is_refused(client, study_visit, mailbox, door):
    answers = [DOORS[door](client, study_visit, "ofiara@example.org", PHISHING) for _ in range(25)]
    assert [r.status_code for r in answers].count(429) >= 22
    to_the_victim = [m for m in mailbox.messages if m["To"] == "ofiara@example.org"]
    assert 1 <= len(to_the_victim) <= 3
    for message in mailbox.messages:
        assert "evil.example" not in Mailbox.text_of(message)
        assert "Twoje konto" not in Mailbox.text_of(message)
        assert "evil.example" not in message["Subject"]

    for number in range(25):  # another address each time, from the same client
        DOORS[door](client, study_visit, f"ofiara{number}@example.org", PHISHING)
    assert len(mailbox.messages) <= 5 + 3


@pytest.mark.parametrize("door", DOORS)
def test_an_unknown_address_confirms_once_and_only_then_takes_a_place(
    client,
    study_visit,
    tenants,
    mailbox,
    door,
):
    with tenant_scope(tenants["zyrardow"].id):
        db.session.get(Meeting, study_visit).capacity = 1
        db.session.commit()
    DOORS[door](client, study_visit, "pierwsza@example.org")
    first_link = mailbox.link_in(mailbox.last_to("pierwsza@example.org"))
    assert [r.status for r in _registrations(tenants)] == ["unconfirmed"]
    assert "pierwsza@example.org" not in client.get(
        f"/api/v1/tenants/zyrardow/meetings/{study_visit}"
    ).get_data(as_text=True)

    DOORS[door](client, study_visit, "druga@example.org")
    confirm(client, mailbox.link_in(mailbox.last_to("druga@example.org")))
    confirm(client, first_link)
    assert {r.email: r.status for r in _registrations(tenants)} == {
        "pierwsza@example.org": "waiting",  # the place went to who confirmed first
        "druga@example.org": "confirmed",
    }
    path = first_link.removeprefix("http://localhost")
    assert client.get(path).status_code == 404  # the link works once
    assert post_form(client, path).status_code == 404
    assert "/registrations/cancel/" in Mailbox.text_of(mailbox.last_to("pierwsza@example.org"))


def test_an_expired_link_confirms_nothing(client, study_visit, tenants, mailbox, monkeypatch):
    _page(client, study_visit, "spoznialski@example.org")
    link = mailbox.link_in(mailbox.last_to("spoznialski@example.org"))
    later = clock.now() + timedelta(hours=49)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert client.get(link.removeprefix("http://localhost")).status_code == 404
    _page(client, study_visit, "ktos@example.org")  # registering again clears what expired
    assert [r.email for r in _registrations(tenants)] == ["ktos@example.org"]


def test_a_known_address_is_registered_at_once(client, study_visit, make_user, tenants, mailbox):
    make_user("urzednik@zyrardow.pl", zyrardow="staff")
    _page(client, study_visit, "urzednik@zyrardow.pl")
    assert [r.status for r in _registrations(tenants)] == ["confirmed"]


def test_names_lose_control_characters_and_are_not_a_greeting(
    client, study_visit, tenants, mailbox
):
    name = "Jan\r\nKowalski \u202egpj.exe\u202c\u2066"
    _api(client, study_visit, "jan@example.org", name, organisation="Fundacja\nX\u202e")
    registration = _registrations(tenants)[0]
    assert registration.name == "Jan Kowalski gpj.exe"
    assert registration.organisation == "Fundacja X"
    confirm(client, mailbox.link_in(mailbox.last_to("jan@example.org")))
    for message in mailbox.messages:
        assert "Kowalski" not in Mailbox.text_of(message)
        assert Mailbox.text_of(message).startswith("Dzień dobry,")


def test_the_honeypot_catches_robots(client, study_visit, tenants, mailbox):
    page = client.get(f"/zyrardow/meetings/{study_visit}").get_data(as_text=True)
    assert '<div hidden aria-hidden="true">' in page and 'name="website"' in page
    _page(client, study_visit, "robot@example.org", website="https://spam.example")
    assert _registrations(tenants) == [] and mailbox.messages == []
