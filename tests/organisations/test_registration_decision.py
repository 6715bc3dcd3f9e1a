"""Deciding a registration request tells the person what really happened to the news."""

from __future__ import annotations

from app.extensions import db
from app.organisations.models import OrganisationMember
from tests import factories
from tests.conftest import log_in, post_form

EN = {"Accept-Language": "en"}


def _accept(client, registration_id: int):
    return post_form(
        client,
        f"/kalisz/organisations/{registration_id}/decision",
        {"approve": "1"},
        headers=EN,
        follow_redirects=True,
    ).get_data(as_text=True)


def test_accepting_an_organisation_nobody_represents_says_nobody_was_told(
    client, make_user, tenants, mailbox
):
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")
    registration = factories.registration(tenants["kalisz"], status="requested")
    log_in(client, "k.wisniewska@kalisz.pl")
    mailbox.clear()

    page = _accept(client, registration.id)

    assert "Nobody was told" in page and "told by e-mail" not in page
    assert mailbox.messages == []


def test_accepting_an_organisation_says_its_representative_is_being_mailed(
    client, make_user, tenants, mailbox
):
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")
    representative = make_user("h.hendrysiak@echo.org.pl")
    registration = factories.registration(tenants["kalisz"], status="requested")
    registration_id = registration.id  # the city's row: not read again outside the city
    db.session.add(
        OrganisationMember(organisation_id=registration.organisation_id, user=representative)
    )
    db.session.commit()
    log_in(client, "k.wisniewska@kalisz.pl")

    page = _accept(client, registration_id)

    assert "An e-mail to the organisation&#39;s representative is on its way." in page
    assert mailbox.last_to("h.hendrysiak@echo.org.pl")
