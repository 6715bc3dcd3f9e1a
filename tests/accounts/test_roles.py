"""A city's people and roles: staff memberships only, administrator only on purpose."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts.models import Invitation
from app.extensions import db
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

EN = {"Accept-Language": "en"}


def test_granting_administrator_rights_needs_the_confirmation(client, make_user, tenants):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    staff = factories.membership_of(
        make_user("b.grygier@leszno.pl", leszno="staff"), tenants["leszno"]
    )
    log_in(client, "a.szymanska@leszno.pl")

    unconfirmed = post_form(
        client,
        f"/leszno/members/{staff.id}/role",
        {"role": "admin"},
        headers=EN,
        follow_redirects=True,
    )
    assert "explicit confirmation" in unconfirmed.get_data(as_text=True)
    invited = post_form(
        client,
        "/leszno/members/invite",
        {"email": "nowa@leszno.pl", "role": "admin"},
        headers=EN,
        follow_redirects=True,
    )
    assert "explicit confirmation" in invited.get_data(as_text=True)
    assert factories.role_in(tenants["leszno"], staff.id) == "staff"
    with tenant_scope(tenants["leszno"].id):
        assert db.session.scalars(select(Invitation)).first() is None

    post_form(client, f"/leszno/members/{staff.id}/role", {"role": "admin", "confirm_admin": "y"})
    assert factories.role_in(tenants["leszno"], staff.id) == "admin"


def test_members_page_lists_staff_only_and_never_preselects_administrator(
    client, make_user, tenants
):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    make_user("b.grygier@leszno.pl", leszno="staff")
    make_user("h.hendrysiak@echo.org.pl", leszno="ngo")
    log_in(client, "a.szymanska@leszno.pl")
    page = client.get("/leszno/members").get_data(as_text=True)

    assert "h.hendrysiak@echo.org.pl" not in page  # NGO access follows the organisation
    selects = re.findall(r'<select id="(role-\d+|role)" name="role">(.*?)</select>', page, re.S)
    preselected = {
        name: re.findall(
            r'<option[^>]*selected[^>]*value="(\w+)"|<option value="(\w+)"[^>]*selected', body
        )
        for name, body in selects
    }
    chosen = {name: [a or b for a, b in found] for name, found in preselected.items()}
    assert chosen["role"] == ["viewer"]  # the invitation's default: least privilege
    assert sorted(v for name, v in chosen.items() if name != "role") == [["admin"], ["staff"]]


def test_the_last_administrator_cannot_step_down(client, make_user, tenants):
    admin = factories.membership_of(
        make_user("a.szymanska@leszno.pl", leszno="admin"), tenants["leszno"]
    )
    log_in(client, "a.szymanska@leszno.pl")
    response = post_form(
        client,
        f"/leszno/members/{admin.id}/role",
        {"role": "viewer"},
        headers=EN,
        follow_redirects=True,
    )
    assert "A city needs at least one administrator." in response.get_data(as_text=True)
    assert factories.role_in(tenants["leszno"], admin.id) == "admin"


def test_demo_ngo_representative_is_no_staff_and_keeps_ngo_access(client, demo):
    log_in(client, "admin@leszno.demo", "razem-demo")
    page = client.get("/leszno/members").get_data(as_text=True)
    assert "ngo@echo.demo" not in page
    post_form(client, "/logout")

    log_in(client, "ngo@echo.demo", "razem-demo")
    cities = client.get("/my-cities").get_data(as_text=True)
    assert "/leszno/" in cities and "/kalisz/" in cities  # through ECHO's registrations
    assert client.get("/leszno/members").status_code == 403
    assert client.get("/leszno/audit").status_code == 403
