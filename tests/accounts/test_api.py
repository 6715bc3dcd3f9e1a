"""The members page over the API: a city's administrators list its people, invite, change a
role, remove a person and withdraw an invitation, under the page's rules — granting
administrator rights needs the explicit confirmation at both doors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import Invitation, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD

PL = {"Accept-Language": "pl"}


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


@pytest.fixture
def city(client, make_user, tenants):
    make_user("a.szymanska@leszno.pl", name="Anna Szymańska", leszno="admin")
    staff = make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")
    make_user("h.hendrysiak@echo.org.pl", name="Henryk Hendrysiak", leszno="ngo")
    make_user("k.wisniewska@kalisz.pl", kalisz="admin")
    return {
        "admin": _bearer(client, "a.szymanska@leszno.pl"),
        "staff": _bearer(client, "b.grygier@leszno.pl"),
        "ngo": _bearer(client, "h.hendrysiak@echo.org.pl"),
        "other_city": _bearer(client, "k.wisniewska@kalisz.pl"),
        "staff_membership": factories.membership_of(staff, tenants["leszno"]).id,
    }


URL = "/api/v1/tenants/leszno"


def test_administrators_list_the_citys_people_and_nobody_else_does(client, city):
    listed = client.get(f"{URL}/members", headers=city["admin"])
    assert listed.status_code == 200
    emails = {m["email"]: m["role"] for m in listed.json}
    assert emails == {"a.szymanska@leszno.pl": "admin", "b.grygier@leszno.pl": "staff"}
    # NGO access follows the organisation: no membership to list, none to promote
    assert "h.hendrysiak@echo.org.pl" not in emails
    for who in ("staff", "ngo", "other_city"):
        assert client.get(f"{URL}/members", headers=city[who]).status_code == 403
    assert client.get(f"{URL}/members").status_code == 401


def test_one_request_never_makes_anyone_an_administrator(client, city, tenants):
    url = f"{URL}/members/{city['staff_membership']}/role"
    unconfirmed = client.post(url, json={"role": "admin"}, headers=city["admin"] | PL)
    assert unconfirmed.status_code == 409
    assert "wyraźnego potwierdzenia" in unconfirmed.json["detail"]
    assert factories.role_in(tenants["leszno"], city["staff_membership"]) == "staff"

    not_a_membership_role = client.post(url, json={"role": "ngo"}, headers=city["admin"])
    assert not_a_membership_role.status_code == 422

    invited = client.post(
        f"{URL}/members/invite",
        json={"email": "nowa@leszno.pl", "role": "admin"},
        headers=city["admin"],
    )
    assert invited.status_code == 409
    with tenant_scope(tenants["leszno"].id):
        assert db.session.scalars(select(Invitation)).first() is None

    confirmed = client.post(
        url, json={"role": "admin", "confirm_admin": True}, headers=city["admin"]
    )
    assert confirmed.status_code == 200 and confirmed.json["role"] == "admin"
    assert factories.role_in(tenants["leszno"], city["staff_membership"]) == "admin"
    with tenant_scope(tenants["leszno"].id):
        entry = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "Membership")
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry.changes["role"] == ["staff", "admin"] and entry.user_id is not None


def test_only_the_citys_administrators_change_roles(client, city, tenants):
    url = f"{URL}/members/{city['staff_membership']}/role"
    for who in ("staff", "ngo", "other_city"):
        refused = client.post(url, json={"role": "viewer"}, headers=city[who])
        assert refused.status_code == 403
    elsewhere = client.post(
        f"/api/v1/tenants/kalisz/members/{city['staff_membership']}/role",
        json={"role": "viewer"},
        headers=city["other_city"],
    )
    assert elsewhere.status_code == 404
    assert factories.role_in(tenants["leszno"], city["staff_membership"]) == "staff"


def test_administrators_invite_and_withdraw_the_invitation(client, city, mailbox, tenants):
    invited = client.post(
        f"{URL}/members/invite",
        json={"email": "M.Kowalczyk@leszno.pl", "role": "staff"},
        headers=city["admin"],
    )
    assert invited.status_code == 201
    assert invited.json["email"] == "m.kowalczyk@leszno.pl"
    assert invited.json["status"] == "pending"
    assert mailbox.last_to("m.kowalczyk@leszno.pl")
    again = client.post(
        f"{URL}/members/invite",
        json={"email": "b.grygier@leszno.pl", "role": "viewer"},
        headers=city["admin"],
    )
    assert again.status_code == 409  # works in the city already
    bad = client.post(
        f"{URL}/members/invite", json={"email": "nie-adres", "role": "staff"}, headers=city["admin"]
    )
    assert bad.status_code == 422 and "email" in bad.json["errors"]["json"]

    url = f"{URL}/invitations/{invited.json['id']}/revoke"
    assert client.post(url, headers=city["staff"]).status_code == 403
    assert (
        client.post(
            f"/api/v1/tenants/kalisz/invitations/{invited.json['id']}/revoke",
            headers=city["other_city"],
        ).status_code
        == 404
    )
    revoked = client.post(url, headers=city["admin"])
    assert revoked.status_code == 200 and revoked.json["status"] == "revoked"


def test_administrators_remove_a_person_but_never_the_last_administrator(client, city, tenants):
    url = f"{URL}/members/{city['staff_membership']}/remove"
    assert client.post(url, headers=city["staff"]).status_code == 403
    assert client.post(url, headers=city["admin"]).status_code == 204
    assert factories.role_in(tenants["leszno"], city["staff_membership"]) is None
    assert client.post(url, headers=city["admin"]).status_code == 404
    administrator = db.session.scalar(select(User).where(User.email == "a.szymanska@leszno.pl"))
    admin = factories.membership_of(administrator, tenants["leszno"])
    last = client.post(f"{URL}/members/{admin.id}/remove", headers=city["admin"] | PL)
    assert last.status_code == 409 and "co najmniej jednego administratora" in last.json["detail"]
