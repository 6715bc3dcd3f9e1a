"""One identity per organisation; each city's register of it; the registration flow."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.organisations.models import Organisation, OrganisationMember
from app.tenancy import before_scope
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

ECHO = {
    "name": "Stowarzyszenie „ECHO”",
    "short_name": "ECHO",
    "legal_form": "association",
    "krs": "0000359730",
    "nip": "8567346215",
    "regon": "123456785",
    "areas": ["10", "16"],
}


def _add_form(values: dict, **extra) -> dict:
    data = {k: v for k, v in values.items() if k != "areas"}
    return {**data, "areas": values.get("areas", []), **extra}


@pytest.fixture
def echo(tenants):
    organisation = factories.organisation(**ECHO)
    factories.registration(tenants["leszno"], organisation)
    return organisation


def test_two_records_with_the_same_krs_or_nip_cannot_exist(app_context, echo):
    db.session.add(Organisation(name="Inne", legal_form="foundation", krs=echo.krs))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_staff_adding_an_existing_ngo_are_offered_to_link_it(client, make_user, echo, tenants):
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")
    log_in(client, "k.wisniewska@kalisz.pl")
    page = post_form(
        client,
        "/kalisz/organisations/new",
        _add_form(ECHO, name="Stow. ECHO Kalisz"),
        headers={"Accept-Language": "en"},
    )
    assert "This organisation is already in Razem" in page.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 1
    linked = post_form(client, "/kalisz/organisations/link", {"organisation_id": echo.id})
    assert linked.status_code == 302
    registered_in = before_scope.organisation_registrations(echo.id)
    assert sorted(registered_in) == sorted([tenants["leszno"].id, tenants["kalisz"].id])


def test_a_similar_name_is_shown_before_creating(client, make_user, echo):
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")
    log_in(client, "k.wisniewska@kalisz.pl")
    similar = {"name": "Stowarzyszenie Echo z Kalisza", "legal_form": "association"}
    page = post_form(
        client, "/kalisz/organisations/new", similar, headers={"Accept-Language": "en"}
    )
    assert "Organisations with a similar name are already in Razem" in page.get_data(as_text=True)
    created = post_form(client, "/kalisz/organisations/new", {**similar, "create_anyway": "y"})
    assert created.status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 2


def test_bad_check_digits_get_a_clear_message_and_nothing_is_lost(client, make_user):
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")
    log_in(client, "k.wisniewska@kalisz.pl")
    page = post_form(
        client,
        "/kalisz/organisations/new",
        {
            "name": "Fundacja „Źródło”",
            "legal_form": "foundation",
            "nip": "8567346216",
            "regon": "12345",
        },
        headers={"Accept-Language": "pl"},
    ).get_data(as_text=True)
    assert "NIP ma błędną cyfrę kontrolną" in page
    assert "REGON ma złą liczbę cyfr" in page
    assert 'value="Fundacja „Źródło”"' in page  # what was typed is kept


def test_representative_edits_once_and_every_city_sees_it(client, make_user, echo, tenants):
    rep = make_user("h.hendrysiak@echo.org.pl")
    db.session.add(OrganisationMember(organisation=echo, user=rep, role="representative"))
    db.session.commit()
    factories.registration(tenants["kalisz"], echo)
    log_in(client, "h.hendrysiak@echo.org.pl")
    form = _add_form(
        ECHO,
        address="ul. Słowiańska 41, 64-100 Leszno",
        description="Wspieramy seniorów i kulturę.",
        version=echo.lock_version,
    )
    assert post_form(client, f"/organisations/{echo.id}/edit", form).status_code == 302
    for slug in ("leszno", "kalisz"):
        registration = factories.registration_in(tenants[slug], echo)
        page = client.get(f"/{slug}/organisations/{registration.id}").get_data(as_text=True)
        assert "ul. Słowiańska 41" in page and "Wspieramy seniorów" in page


def test_only_members_edit_the_profile(client, make_user, echo):
    make_user("obcy@example.org", leszno="staff")
    log_in(client, "obcy@example.org")
    assert client.get(f"/organisations/{echo.id}/edit").status_code == 403
    assert client.get("/organisations/999999/edit").status_code == 404


def test_registration_request_declined_then_accepted_with_mail(
    client, make_user, echo, tenants, mailbox
):
    rep = make_user("h.hendrysiak@echo.org.pl", locale="pl")
    db.session.add(OrganisationMember(organisation=echo, user=rep, role="representative"))
    db.session.commit()
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")

    log_in(client, "h.hendrysiak@echo.org.pl")
    assert client.get("/kalisz/organisations/requests").status_code == 403
    post_form(
        client,
        "/kalisz/organisations/apply",
        {"organisation_id": echo.id, "fields_of_activity": "Chór seniorów"},
    )
    post_form(client, "/logout")

    log_in(client, "k.wisniewska@kalisz.pl")
    assert "Stowarzyszenie „ECHO”" in client.get("/kalisz/organisations/requests").get_data(
        as_text=True
    )
    registration = factories.registration_in(tenants["kalisz"], echo)
    refused = post_form(
        client,
        f"/kalisz/organisations/{registration.id}/decision",
        {"decline": "1", "reason": ""},
        follow_redirects=True,
        headers={"Accept-Language": "en"},
    )
    assert "Give the reason for declining" in refused.get_data(as_text=True)
    post_form(
        client,
        f"/kalisz/organisations/{registration.id}/decision",
        {"decline": "1", "reason": "Brak siedziby ani działań w Kaliszu."},
    )
    declined = mailbox.last_to("h.hendrysiak@echo.org.pl")
    assert "Kalisz" in declined["Subject"] and "Brak siedziby" in declined.get_content()
    post_form(client, "/logout")

    log_in(client, "h.hendrysiak@echo.org.pl")
    assert "Brak siedziby" in client.get("/organisations/mine").get_data(as_text=True)
    post_form(client, "/kalisz/organisations/apply", {"organisation_id": echo.id})
    post_form(client, "/logout")
    log_in(client, "k.wisniewska@kalisz.pl")
    post_form(client, f"/kalisz/organisations/{registration.id}/decision", {"approve": "1"})
    assert "przyj" in mailbox.last_to("h.hendrysiak@echo.org.pl")["Subject"]
    post_form(client, "/logout")

    # access follows from the active registration: no membership to keep in sync
    log_in(client, "h.hendrysiak@echo.org.pl")
    cities = client.get("/my-cities").get_data(as_text=True)
    assert "/kalisz/" in cities and "/leszno/" in cities


def test_private_notes_are_invisible_to_ngos_and_other_cities(client, make_user, echo, tenants):
    leszno_registration = factories.registration_in(tenants["leszno"], echo)
    kalisz_registration_id = factories.registration(tenants["kalisz"], echo).id
    make_user("a.szymanska@leszno.pl", leszno="staff")
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")
    rep = make_user("h.hendrysiak@echo.org.pl")
    db.session.add(OrganisationMember(organisation=echo, user=rep))
    db.session.commit()

    log_in(client, "a.szymanska@leszno.pl")
    post_form(
        client,
        f"/leszno/organisations/{leszno_registration.id}",
        {
            "status": "active",
            "notes": "Zaległe sprawozdanie z dotacji 2023.",
            "tags": "seniorzy, do wyjaśnienia",
            "version": leszno_registration.lock_version,
        },
    )
    page = client.get(f"/leszno/organisations/{leszno_registration.id}").get_data(as_text=True)
    assert "Zaległe sprawozdanie" in page and "do wyjaśnienia" in page
    post_form(client, "/logout")

    for email, path in (
        ("h.hendrysiak@echo.org.pl", f"/leszno/organisations/{leszno_registration.id}"),
        ("k.wisniewska@kalisz.pl", f"/kalisz/organisations/{kalisz_registration_id}"),
        ("k.wisniewska@kalisz.pl", "/kalisz/organisations?tag=do+wyjaśnienia"),
    ):
        log_in(client, email)
        page = client.get(path).get_data(as_text=True)
        assert "Zaległe sprawozdanie" not in page and "do wyjaśnienia" not in page, path
        post_form(client, "/logout")

    with tenant_scope(tenants["kalisz"].id):
        assert db.session.scalars(text("SELECT notes FROM registration_notes")).all() == []
        assert db.session.scalars(text("SELECT tag FROM registration_tags")).all() == []


def test_representative_invites_a_new_editor_by_mail(client, make_user, echo, mailbox):
    rep = make_user("h.hendrysiak@echo.org.pl")
    db.session.add(OrganisationMember(organisation=echo, user=rep, role="representative"))
    db.session.commit()
    log_in(client, "h.hendrysiak@echo.org.pl")
    post_form(
        client,
        f"/organisations/{echo.id}/people",
        {"email": "wolontariusz@echo.org.pl", "role": "editor"},
    )
    link = mailbox.link_in(mailbox.last_to("wolontariusz@echo.org.pl"))
    post_form(client, "/logout")
    path = link.split("localhost", 1)[1]
    joined = post_form(
        client,
        path,
        {"name": "Piotr Wolontariusz", "password": "hasło-edytora-1", "confirm": "hasło-edytora-1"},
    )
    assert joined.location.endswith("/organisations/mine")
    assert "Stowarzyszenie „ECHO”" in client.get("/organisations/mine").get_data(as_text=True)
    roles = {
        m.user.email: m.role
        for m in db.session.scalars(
            select(OrganisationMember).where(OrganisationMember.organisation_id == echo.id)
        )
    }
    assert roles == {
        "h.hendrysiak@echo.org.pl": "representative",
        "wolontariusz@echo.org.pl": "editor",
    }
    assert client.get(path).status_code == 404  # used


def test_editors_cannot_invite(client, make_user, echo):
    editor = make_user("edytor@echo.org.pl")
    db.session.add(OrganisationMember(organisation=echo, user=editor, role="editor"))
    db.session.commit()
    log_in(client, "edytor@echo.org.pl")
    assert client.get(f"/organisations/{echo.id}/people").status_code == 200
    refused = post_form(
        client, f"/organisations/{echo.id}/people", {"email": "x@example.org", "role": "editor"}
    )
    assert refused.status_code == 403
