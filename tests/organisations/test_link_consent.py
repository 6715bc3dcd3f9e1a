"""Linking an organisation already in Razem to a city's register asks its representative:
the NGO role in the city follows only an accepted invitation, whichever door linked it."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.organisations.models import OrganisationMember, Registration
from app.organisations.services import ngo_tenant_ids
from app.tenancy.context import acting_as
from tests import factories
from tests.conftest import PASSWORD, log_in, post_form
from tests.organisations.test_import_export import confirm, csv_bytes, upload

ECHO_KRS = "0000359730"


@pytest.fixture
def echo(tenants):
    organisation = factories.organisation("Stowarzyszenie „ECHO”", krs=ECHO_KRS)
    factories.registration(tenants["leszno"], organisation)
    return organisation


@pytest.fixture
def representative(make_user, echo):
    user = make_user("h.hendrysiak@echo.org.pl")
    db.session.add(OrganisationMember(organisation=echo, user=user, role="representative"))
    db.session.commit()
    return user


@pytest.fixture
def kalisz_staff(app, make_user):
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")
    client = app.test_client()
    log_in(client, "k.wisniewska@kalisz.pl")
    return client


def _kalisz_registration(echo, tenants) -> Registration:
    return factories.registration_in(tenants["kalisz"], echo)


def _ngo_cities(person) -> set[int]:
    """Where the person has NGO access, read as the person (their organisations'
    registrations are theirs to read, behind the personal wall)."""
    with acting_as(person.id):
        return ngo_tenant_ids(person)


def _answer(client, registration: Registration, accept: bool, reason: str = ""):
    data = {"accept": "y"} if accept else {"reason": reason}
    url = f"/{registration.tenant.slug}/organisations/{registration.id}/answer"
    return post_form(client, url, data)


def test_linking_an_organisation_with_a_representative_invites_it(
    client, kalisz_staff, echo, representative, tenants, mailbox
):
    page = post_form(
        kalisz_staff,
        "/kalisz/organisations/link",
        {"organisation_id": echo.id},
        headers={"Accept-Language": "en"},
    )
    assert page.status_code == 302
    registration = _kalisz_registration(echo, tenants)
    assert registration.status == "invited"
    assert tenants["kalisz"].id not in _ngo_cities(representative)
    assert mailbox.last_to("h.hendrysiak@echo.org.pl")

    log_in(client, "h.hendrysiak@echo.org.pl")
    mine = client.get("/organisations/mine", headers={"Accept-Language": "en"})
    assert "invites" in mine.get_data(as_text=True)
    assert _answer(client, registration, accept=True).status_code == 302
    assert _kalisz_registration(echo, tenants).status == "active"
    assert tenants["kalisz"].id in _ngo_cities(representative)


def test_a_declined_invitation_grants_nothing(client, kalisz_staff, echo, representative, tenants):
    post_form(kalisz_staff, "/kalisz/organisations/link", {"organisation_id": echo.id})
    log_in(client, "h.hendrysiak@echo.org.pl")
    _answer(client, _kalisz_registration(echo, tenants), accept=False, reason="Nie działamy tam.")
    registration = _kalisz_registration(echo, tenants)
    assert registration.status == "declined"
    assert registration.decline_reason == "Nie działamy tam."
    assert tenants["kalisz"].id not in _ngo_cities(representative)


def test_staff_cannot_activate_an_invitation_themselves(
    kalisz_staff, echo, representative, tenants
):
    post_form(kalisz_staff, "/kalisz/organisations/link", {"organisation_id": echo.id})
    registration = _kalisz_registration(echo, tenants)
    post_form(
        kalisz_staff,
        f"/kalisz/organisations/{registration.id}",
        {"status": "active", "version": registration.lock_version},
    )
    assert _kalisz_registration(echo, tenants).status == "invited"


def test_an_organisation_nobody_represents_is_active_at_once_and_staff_are_told(
    kalisz_staff, echo, tenants
):
    page = post_form(
        kalisz_staff,
        "/kalisz/organisations/link",
        {"organisation_id": echo.id},
        headers={"Accept-Language": "en"},
        follow_redirects=True,
    )
    assert _kalisz_registration(echo, tenants).status == "active"
    assert "no representative" in page.get_data(as_text=True)


def test_only_the_organisations_own_representative_may_answer(
    client, kalisz_staff, echo, representative, tenants, make_user
):
    post_form(kalisz_staff, "/kalisz/organisations/link", {"organisation_id": echo.id})
    registration = _kalisz_registration(echo, tenants)
    other = factories.organisation("Fundacja „Źródło”")
    factories.registration(tenants["kalisz"], other)
    stranger = make_user("rep@zrodlo.org.pl")
    db.session.add(OrganisationMember(organisation=other, user=stranger, role="representative"))
    editor = make_user("editor@echo.org.pl")
    db.session.add(OrganisationMember(organisation=echo, user=editor, role="editor"))
    db.session.commit()
    for email in ("rep@zrodlo.org.pl", "editor@echo.org.pl", "k.wisniewska@kalisz.pl"):
        log_in(client, email)
        assert _answer(client, registration, accept=True).status_code == 404, email
    assert _kalisz_registration(echo, tenants).status == "invited"


def test_the_import_links_existing_organisations_the_same_way(
    make_user, echo, representative, tenants, app
):
    make_user("b.grygier@kalisz.pl", kalisz="staff")
    staff = app.test_client()
    log_in(staff, "b.grygier@kalisz.pl")
    rows = [["1", "Stowarzyszenie „ECHO”", "stowarzyszenie", ECHO_KRS, "", "", "", "", ""]]
    upload(staff, csv_bytes(rows=rows), "lista.csv", slug="kalisz")
    job = confirm(staff, slug="kalisz")
    assert job.status == "done", job.error
    assert _kalisz_registration(echo, tenants).status == "invited"
    assert tenants["kalisz"].id not in _ngo_cities(representative)


def test_the_api_links_existing_organisations_the_same_way(
    client, make_user, echo, representative, tenants
):
    make_user("b.grygier@kalisz.pl", kalisz="staff")
    token = client.post(
        "/api/v1/auth/token", json={"email": "b.grygier@kalisz.pl", "password": PASSWORD}
    ).json["token"]
    response = client.put(
        f"/api/v1/tenants/kalisz/organisations/{echo.id}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    assert response.json["status"] == "invited"
    assert tenants["kalisz"].id not in _ngo_cities(representative)
