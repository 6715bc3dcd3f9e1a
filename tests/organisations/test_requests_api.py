"""An organisation's way into a city's register over the API, as on the pages: it asks and
the city decides, or the city invites and its representative answers; the city invites the
first representative of an organisation nobody acts for."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.organisations.models import OrganisationMember
from tests import factories
from tests.conftest import PASSWORD

PL = {"Accept-Language": "pl"}


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


@pytest.fixture
def echo(client, make_user, tenants):
    """Stowarzyszenie „ECHO”, active in Leszno, with its representative."""
    organisation = factories.organisation("Stowarzyszenie „ECHO”", krs="0000359730")
    factories.registration(tenants["leszno"], organisation)
    representative = make_user("h.hendrysiak@echo.org.pl", name="Henryk Hendrysiak")
    db.session.add(OrganisationMember(organisation=organisation, user=representative))
    db.session.commit()
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")
    make_user("b.grygier@leszno.pl", leszno="staff")
    make_user("obcy@example.org")
    return organisation


def test_a_representative_asks_and_the_city_declines_with_a_reason(client, echo, tenants, mailbox):
    representative = _bearer(client, "h.hendrysiak@echo.org.pl")
    kalisz = _bearer(client, "k.wisniewska@kalisz.pl")
    asked = client.post(
        "/api/v1/tenants/kalisz/organisations/apply",
        json={
            "organisation_id": echo.id,
            "fields_of_activity": "Zajęcia dla seniorów w Kaliszu.",
            "contact_name": "Henryk Hendrysiak",
        },
        headers=representative,
    )
    assert asked.status_code == 201 and asked.json["status"] == "requested"
    again = client.post(
        "/api/v1/tenants/kalisz/organisations/apply",
        json={"organisation_id": echo.id},
        headers=representative,
    )
    assert again.status_code == 409

    registration_id = factories.registration_in(tenants["kalisz"], echo).id
    url = f"/api/v1/tenants/kalisz/organisations/{registration_id}/decision"
    assert client.post(url, json={"approve": True}, headers=representative).status_code == 403
    assert (
        client.post(
            f"/api/v1/tenants/leszno/organisations/{registration_id}/decision",
            json={"approve": True},
            headers=_bearer(client, "b.grygier@leszno.pl"),
        ).status_code
        == 404
    )
    silent = client.post(url, json={"approve": False}, headers=kalisz | PL)
    assert silent.status_code == 409 and "Podaj powód" in silent.json["detail"]
    declined = client.post(
        url,
        json={"approve": False, "reason": "Organizacja nie działa na terenie Kalisza."},
        headers=kalisz,
    )
    assert declined.status_code == 200 and declined.json["status"] == "declined"
    assert mailbox.last_to("h.hendrysiak@echo.org.pl")
    decided = client.post(url, json={"approve": True}, headers=kalisz)
    assert decided.status_code == 409


def test_only_those_who_act_for_it_ask_for_an_organisation(client, echo):
    body = {"organisation_id": echo.id}
    url = "/api/v1/tenants/kalisz/organisations/apply"
    stranger = client.post(url, json=body, headers=_bearer(client, "obcy@example.org"))
    assert stranger.status_code == 422  # as the page: not one of the organisations offered
    assert client.post(url, json=body).status_code == 401
    missing = client.post(url, json={}, headers=_bearer(client, "obcy@example.org"))
    assert missing.status_code == 422


def test_the_representative_answers_the_citys_invitation(client, echo, tenants):
    kalisz = _bearer(client, "k.wisniewska@kalisz.pl")
    invited = client.put(f"/api/v1/tenants/kalisz/organisations/{echo.id}", headers=kalisz)
    assert invited.json["status"] == "invited"
    registration_id = factories.registration_in(tenants["kalisz"], echo).id
    url = f"/api/v1/tenants/kalisz/organisations/{registration_id}/answer"
    stranger = _bearer(client, "obcy@example.org")
    assert client.post(url, json={"accept": True}, headers=stranger).status_code == 404
    accepted = client.post(
        url, json={"accept": True}, headers=_bearer(client, "h.hendrysiak@echo.org.pl")
    )
    assert accepted.status_code == 200 and accepted.json["status"] == "active"
    assert factories.registration_in(tenants["kalisz"], echo).status == "active"
    answered = client.post(
        url, json={"accept": False}, headers=_bearer(client, "h.hendrysiak@echo.org.pl")
    )
    assert answered.status_code == 404  # answered: no invitation to answer any more


def test_staff_invite_the_first_representative_only(client, echo, tenants, mailbox):
    leszno = _bearer(client, "b.grygier@leszno.pl")
    nobodys = factories.registration(tenants["leszno"])
    url = f"/api/v1/tenants/leszno/organisations/{nobodys.id}/invite-representative"
    assert (
        client.post(
            url, json={"email": "prezes@fundacja.pl"}, headers=_bearer(client, "obcy@example.org")
        ).status_code
        == 403
    )
    invited = client.post(url, json={"email": "prezes@fundacja.pl"}, headers=leszno)
    assert invited.status_code == 204
    assert mailbox.last_to("prezes@fundacja.pl")
    echo_registration = factories.registration_in(tenants["leszno"], echo)
    represented = client.post(
        f"/api/v1/tenants/leszno/organisations/{echo_registration.id}/invite-representative",
        json={"email": "ktos@echo.org.pl"},
        headers=leszno | PL,
    )
    assert represented.status_code == 409
    bad = client.post(url, json={"email": "nie-adres"}, headers=leszno)
    assert bad.status_code == 422
    assert (
        client.post(
            f"/api/v1/tenants/kalisz/organisations/{nobodys.id}/invite-representative",
            json={"email": "prezes@fundacja.pl"},
            headers=_bearer(client, "k.wisniewska@kalisz.pl"),
        ).status_code
        == 404
    )
