from __future__ import annotations

import re

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD, log_in, post_form


def test_ngo_representative_switches_cities_without_logging_in_again(client, make_user):
    make_user("h.hendrysiak@echo.org.pl", leszno="ngo", kalisz="ngo")
    response = log_in(client, "h.hendrysiak@echo.org.pl")
    assert response.location.endswith("/my-cities")
    cities = client.get("/my-cities").get_data(as_text=True)
    assert "/leszno/" in cities and "/kalisz/" in cities
    switched = post_form(client, "/switch", {"tenant": "kalisz"})
    assert switched.location.endswith("/kalisz/")
    assert post_form(client, "/switch", {"tenant": "krakow"}).status_code == 404


def test_city_admin_sees_only_their_city(client, make_user):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    assert client.get("/leszno/members").status_code == 200
    assert client.get("/kalisz/members").status_code == 403
    assert client.get("/kalisz/audit").status_code == 403


def test_invitation_by_mail_creates_an_account_and_a_membership(
    client, make_user, mailbox, tenants
):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    post_form(
        client, "/leszno/members/invite", {"email": "nowy.pracownik@leszno.pl", "role": "staff"}
    )
    message = mailbox.last_to("nowy.pracownik@leszno.pl")
    assert "Leszno" in message["Subject"]
    path = mailbox.link_in(message).split("localhost", 1)[1]
    post_form(client, "/logout")
    response = post_form(
        client, path, {"name": "Nowy Pracownik", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 302
    assert "Nowy Pracownik" in client.get("/leszno/").get_data(as_text=True)
    assert client.get(path).status_code == 404  # used
    with tenant_scope(tenants["leszno"].id):
        entry = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "Membership")
            .order_by(AuditEntry.id.desc())
        ).first()
    assert entry.action == "create" and entry.changes["role"] == "staff"


def test_the_last_admin_cannot_be_removed(client, make_user, tenants):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    membership = factories.membership_of(admin, tenants["leszno"])
    response = post_form(
        client,
        f"/leszno/members/{membership.id}/remove",
        headers={"Accept-Language": "en"},
        follow_redirects=True,
    )
    assert "A city needs at least one administrator." in response.get_data(as_text=True)
    assert factories.role_in(tenants["leszno"], membership.id) == "admin"


def test_role_change_is_in_the_audit_log_with_who_did_it(client, make_user, tenants):
    make_user("a.szymanska@leszno.pl", name="Anna Szymańska", leszno="admin")
    staff = make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "a.szymanska@leszno.pl")
    membership = factories.membership_of(staff, tenants["leszno"])
    members_page = client.get("/leszno/members").get_data(as_text=True)
    assert members_page.count('value="viewer"') == 3  # two people + the invite form
    post_form(client, f"/leszno/members/{membership.id}/role", {"role": "viewer"})
    page = client.get("/leszno/audit?action=update").get_data(as_text=True)
    assert "a.szymanska@leszno.pl" in page and "role" in page
    with tenant_scope(tenants["leszno"].id):
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert entry.changes["role"] == ["staff", "viewer"]
    assert entry.user.email == "a.szymanska@leszno.pl"


def test_coordinator_reaches_the_region_page(client, make_user):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    page = client.get("/regions/wielkopolskie/", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "You coordinate the cooperation standards of this region." in text
    assert "Changes in the last 30 days" in text
    other = client.get("/regions/malopolskie/", headers={"Accept-Language": "en"})
    assert "Changes in the last 30 days" not in other.get_data(as_text=True)


def test_existing_user_accepts_an_invitation_to_another_city(client, make_user, mailbox):
    make_user("k.wisniewska@kalisz.pl", kalisz="admin")
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "k.wisniewska@kalisz.pl")
    post_form(client, "/kalisz/members/invite", {"email": "b.grygier@leszno.pl", "role": "viewer"})
    path = mailbox.link_in(mailbox.last_to("b.grygier@leszno.pl")).split("localhost", 1)[1]
    post_form(client, "/logout")
    assert "/login" in client.get(path).location  # an account exists: log in first
    log_in(client, "b.grygier@leszno.pl")
    assert post_form(client, path).location.endswith("/kalisz/")
    cities = client.get("/my-cities").get_data(as_text=True)
    assert "/leszno/" in cities and "/kalisz/" in cities


def test_nobody_is_invited_as_an_ngo_representative(client, make_user):
    make_user("k.wisniewska@kalisz.pl", kalisz="admin")
    log_in(client, "k.wisniewska@kalisz.pl")
    page = client.get("/kalisz/members").get_data(as_text=True)
    assert '<option value="ngo"' not in page  # NGO access comes from the organisation


def test_personal_api_token_from_the_account_page(client, make_user):
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    page = post_form(client, "/account/tokens", {"token-name": "Integracja z BIP"})
    token = re.search(r'<code class="secret">([^<]+)</code>', page.get_data(as_text=True)).group(1)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json["email"] == "b.grygier@leszno.pl"
    account = client.get("/account").get_data(as_text=True)
    assert "Integracja z BIP" in account and token not in account  # shown once, stored hashed
    # its use is written down once in a while (API_TOKEN_USE_PRECISION_SECONDS), and it says so
    assert "„Ostatnie użycie” zapisujemy najwyżej raz na 5 min." in account


def test_demo_data_is_refused_outside_development(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "development only" in result.output
