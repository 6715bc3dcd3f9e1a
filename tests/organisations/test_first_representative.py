"""A city's staff who add an organisation, or look at one nobody acts for, invite its first
representative by e-mail: the organisation's own invitation, the one mechanism of both."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.organisations.models import OrganisationInvitation, OrganisationMember
from tests import factories
from tests.conftest import log_in, post_form


@pytest.fixture
def staff(app, make_user):
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")
    client = app.test_client()
    log_in(client, "b.grygier@leszno.pl")
    return client


@pytest.fixture
def registration(tenants):
    organisation = factories.organisation("Stowarzyszenie Sąsiedzi z Zatorza", krs="0001123450")
    factories.registration(tenants["leszno"], organisation)
    return factories.registration_in(tenants["leszno"], organisation)


def _invite_url(registration) -> str:
    return f"/leszno/organisations/{registration.id}/invite-representative"


def test_staff_invite_the_first_representative_who_joins_with_a_new_account(
    app, staff, registration, mailbox
):
    profile = staff.get(f"/leszno/organisations/{registration.id}").get_data(as_text=True)
    assert _invite_url(registration) in profile

    sent = post_form(staff, _invite_url(registration), {"email": "prezes@zatorze.pl"})
    assert sent.status_code == 302
    mail = mailbox.last_to("prezes@zatorze.pl")
    assert "Barbara Grygier" in mail.get_content()
    join = urlsplit(mailbox.link_in(mail)).path
    assert join.startswith("/organisations/join/")

    newcomer = app.test_client()
    password = "hasło-prezesa-123"
    post_form(newcomer, join, {"name": "Jan Prezes", "password": password, "confirm": password})
    db.session.expire_all()
    member = db.session.scalars(select(OrganisationMember)).one()
    assert member.user.email == "prezes@zatorze.pl" and member.role == "representative"
    log_in(app.test_client(), "prezes@zatorze.pl", password)  # the link confirmed the address


def test_an_organisation_with_a_representative_is_not_offered_another(
    staff, registration, make_user
):
    user = make_user("h.hendrysiak@example.pl")
    db.session.add(
        OrganisationMember(organisation=registration.organisation, user=user, role="representative")
    )
    db.session.commit()
    profile = staff.get(f"/leszno/organisations/{registration.id}").get_data(as_text=True)
    assert _invite_url(registration) not in profile
    post_form(staff, _invite_url(registration), {"email": "ktos@example.pl"})
    assert db.session.scalars(select(OrganisationInvitation)).all() == []


def test_only_the_citys_staff_invite_and_only_for_its_register(
    app, registration, make_user, tenants
):
    make_user("ngo@example.pl", leszno="ngo")
    make_user("przeglad@leszno.pl", leszno="viewer")
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")
    answers = {}
    for email, city in (
        ("ngo@example.pl", "leszno"),
        ("przeglad@leszno.pl", "leszno"),
        ("k.wisniewska@kalisz.pl", "kalisz"),
    ):
        client = app.test_client()
        log_in(client, email)
        url = f"/{city}/organisations/{registration.id}/invite-representative"
        answers[email] = post_form(client, url, {"email": "x@example.pl"}).status_code
    assert answers == {
        "ngo@example.pl": 403,
        "przeglad@leszno.pl": 403,
        "k.wisniewska@kalisz.pl": 404,
    }
    assert db.session.scalars(select(OrganisationInvitation)).all() == []
