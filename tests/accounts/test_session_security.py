"""A session ends when it should: logout, a new password, a lost role; a stolen cookie or a
rotated X-Forwarded-For buys nothing; every password check is throttled per account as well
as per address. The password checks are found from the forms, the pages and the OpenAPI
document, so a new one is throttled without anyone remembering."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from flask import Flask
from flask_wtf import FlaskForm
from sqlalchemy import select, update
from wtforms import PasswordField

from app import trust_proxies
from app.accounts.models import ApiToken
from app.extensions import client_address, db, limiter
from app.tenancy import clock
from app.tenancy.context import acting_as
from tests import factories
from tests.conftest import PASSWORD, csrf_token, log_in, post_form
from tests.sweeps import as_a_browser_submits

EMAIL = "a.szymanska@leszno.pl"
NEW_PASSWORD = "nowe-hasło-2026"
WRONG_PASSWORD = "zgadywane-hasło"
# Two addresses taking turns stay under the limit of ten per address; the account does not.
ADDRESSES = ("203.0.113.7", "198.51.100.9")
ENGLISH = {"Accept-Language": "en"}


def from_address(client, address: str):
    """The client as seen from `address`, with a forged first X-Forwarded-For as well."""
    client.environ_base["REMOTE_ADDR"] = address
    client.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{ADDRESSES.index(address) + 1}"
    return client


def with_cookie_of(app, client):
    """Another browser holding a copy of this client's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def api_token(client, email: str = EMAIL, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["token"]


def api_me(client, token: str):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def is_anonymous_on_account_page(client) -> bool:
    response = client.get("/account")
    return response.status_code == 302 and "/login" in response.location


# Sessions that end


def test_an_old_cookie_is_anonymous_after_logout(app, client, make_user):
    make_user(EMAIL, leszno="admin")
    log_in(client, EMAIL)
    thief = with_cookie_of(app, client)
    assert not is_anonymous_on_account_page(thief)
    post_form(client, "/logout")
    assert is_anonymous_on_account_page(thief)


def test_a_password_reset_ends_every_session_and_api_token(app, client, make_user, mailbox):
    make_user(EMAIL, leszno="admin")
    log_in(client, EMAIL)
    token = api_token(app.test_client())
    stranger = app.test_client()
    post_form(stranger, "/password/forgot", {"email": EMAIL})
    path = mailbox.link_in(mailbox.last_to(EMAIL)).split("localhost", 1)[1]
    response = post_form(stranger, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert is_anonymous_on_account_page(client)
    refused = api_me(app.test_client(), token)
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    log_in(client, EMAIL, NEW_PASSWORD)


def test_a_password_change_ends_the_other_sessions_and_tokens_but_not_this_one(
    app, client, make_user
):
    make_user(EMAIL, leszno="admin")
    log_in(client, EMAIL)
    elsewhere = app.test_client()
    log_in(elsewhere, EMAIL)
    token = api_token(app.test_client())
    response = post_form(
        client,
        "/account",
        {
            "password-current_password": PASSWORD,
            "password-password": NEW_PASSWORD,
            "password-confirm": NEW_PASSWORD,
            "password-submit": "1",
        },
    )
    assert response.status_code == 302
    assert not is_anonymous_on_account_page(client)
    assert is_anonymous_on_account_page(elsewhere)
    assert api_me(app.test_client(), token).status_code == 401


@pytest.mark.parametrize("lose_the_role", ["demote", "remove"])
def test_a_member_demoted_or_removed_is_logged_out(app, client, make_user, tenants, lose_the_role):
    make_user(EMAIL, leszno="admin")
    staff = make_user("b.grygier@leszno.pl", leszno="staff")
    membership_id = factories.membership_of(staff, tenants["leszno"]).id
    theirs = app.test_client()
    log_in(theirs, "b.grygier@leszno.pl")
    log_in(client, EMAIL)
    if lose_the_role == "demote":
        url, data = f"/leszno/members/{membership_id}/role", {"role": "viewer"}
    else:
        url, data = f"/leszno/members/{membership_id}/remove", {}
    assert post_form(client, url, data).status_code == 302
    assert is_anonymous_on_account_page(theirs)
    assert not is_anonymous_on_account_page(client)


def test_a_promoted_member_keeps_the_session(app, client, make_user, tenants):
    make_user(EMAIL, leszno="admin")
    viewer = make_user("b.grygier@leszno.pl", leszno="viewer")
    membership_id = factories.membership_of(viewer, tenants["leszno"]).id
    theirs = app.test_client()
    log_in(theirs, "b.grygier@leszno.pl")
    log_in(client, EMAIL)
    post_form(client, f"/leszno/members/{membership_id}/role", {"role": "staff"})
    assert not is_anonymous_on_account_page(theirs)


def test_a_stolen_cookie_does_not_pass_by_naming_the_victims_address(app, client, make_user):
    make_user(EMAIL, leszno="admin")
    client.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    log_in(client, EMAIL)
    thief = with_cookie_of(app, client)
    thief.environ_base["REMOTE_ADDR"] = "198.51.100.66"
    thief.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    assert is_anonymous_on_account_page(thief)


def test_the_address_is_what_the_configured_proxies_report():
    behind_two = Flask(__name__)
    behind_two.config.update(PROXY_FIX=True, PROXY_COUNT=2)
    behind_two.get("/")(client_address)
    trust_proxies(behind_two)
    forged = {"X-Forwarded-For": "192.0.2.1, 203.0.113.7, 10.0.0.2"}
    response = behind_two.test_client().get("/", headers=forged)
    assert response.get_data(as_text=True) == "203.0.113.7"


# API tokens that expire


def test_a_token_expires_and_its_expiry_is_shown(app, client, make_user):
    user = make_user(EMAIL, leszno="admin")
    token = api_token(app.test_client())
    with acting_as(user.id):  # a person's tokens are theirs alone to read
        expires_at = db.session.scalar(
            select(ApiToken.expires_at).where(ApiToken.user_id == user.id)
        )
    days = app.config["API_TOKEN_MAX_AGE_DAYS"]
    assert expires_at - clock.now() > timedelta(days=days - 1)
    log_in(client, EMAIL)
    page = client.get("/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Expires" in page
    with acting_as(user.id):
        db.session.execute(update(ApiToken).values(expires_at=clock.now() - timedelta(seconds=1)))
        db.session.commit()
    refused = api_me(app.test_client(), token)
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"


# Every password check, throttled per account: found from the forms, the pages and the API


def checked_password_fields() -> dict[type, list[str]]:
    """Each form with a password checked against an account (not a new one being chosen)."""
    forms: dict[type, list[str]] = {}
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        for name, unbound in vars(form).items():
            if getattr(unbound, "field_class", None) is not PasswordField:
                continue
            purpose = (unbound.kwargs.get("render_kw") or {}).get("autocomplete")
            assert purpose in ("current-password", "new-password"), (
                f"{form.__name__}.{name}: say whether it is checked or chosen"
            )
            if purpose == "current-password":
                forms.setdefault(form, []).append(name)
    return forms


def pages_to_read(app) -> list[str]:
    return [
        rule.build({"tenant_slug": "leszno"}, append_unknown=False)[1]
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and set(rule.arguments) <= {"tenant_slug"}
        and not rule.rule.startswith("/api/")
    ]


def password_checking_forms(client, path: str) -> list:
    response = client.get(path)
    if response.status_code != 200 or response.mimetype != "text/html":
        return []
    document = lxml.html.fromstring(response.get_data(as_text=True))
    return [
        form
        for form in document.forms
        if form.xpath(".//input[@type='password'][@autocomplete='current-password']")
    ]


def wrong_guess(form) -> dict:
    values = as_a_browser_submits(form)
    for field in form.inputs:
        name, kind = field.get("name"), field.get("type")
        if kind == "email":
            values[name] = EMAIL
        elif kind == "password":
            checked = field.get("autocomplete") == "current-password"
            values[name] = WRONG_PASSWORD if checked else NEW_PASSWORD
    return values


def found_password_forms(app, make_user) -> list[tuple[bool, str, dict]]:
    """(logged in?, action, a wrong guess) for every password-checking form on any page."""
    make_user(EMAIL, leszno="admin")
    anonymous, logged_in = app.test_client(), app.test_client()
    log_in(logged_in, EMAIL)
    found = []
    for path in pages_to_read(app):
        for needs_login, client in ((False, anonymous), (True, logged_in)):
            for form in password_checking_forms(client, path):
                found.append((needs_login, form.get("action") or path, wrong_guess(form)))
    return found


def test_every_form_checking_a_password_is_on_a_page_the_sweep_reads(app, make_user):
    checked = checked_password_fields()
    assert checked, "no form checks a password?"
    submitted = {name for _, _, guess in found_password_forms(app, make_user) for name in guess}
    for form, names in checked.items():
        for name in names:
            assert any(s.split("-")[-1] == name for s in submitted), (
                f"{form.__name__}.{name} is on no page the sweep reads: add its page"
            )


def test_every_password_form_is_throttled_per_account_across_addresses(app, make_user):
    found = found_password_forms(app, make_user)
    assert {action for _, action, _ in found} >= {"/login", "/account"}
    for needs_login, action, guess in found:
        limiter.reset()  # the sweep's own logins are not guesses
        clients = {address: app.test_client() for address in ADDRESSES}
        for address, client in clients.items():
            from_address(client, address)
            if needs_login:
                log_in(client, EMAIL)
        statuses = []
        for attempt in range(11):
            client = clients[ADDRESSES[attempt % 2]]
            token = csrf_token(client)
            statuses.append(
                client.post(action, data={**guess, "csrf_token": token}, headers=ENGLISH)
            )
        assert [r.status_code for r in statuses[:10]] == [200] * 10, action
        assert statuses[10].status_code == 429, f"{action}: not throttled per account"
        assert "Too many attempts" in statuses[10].get_data(as_text=True)


def password_operations(client) -> list[tuple[str, str, dict]]:
    """(method, path, request schema) of every API operation taking a password."""
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            content = operation.get("requestBody", {}).get("content", {})
            reference = content.get("application/json", {}).get("schema", {}).get("$ref", "")
            schema = schemas.get(reference.rsplit("/", 1)[-1], {})
            properties = schema.get("properties", {})
            if any(p.get("format") == "password" for p in properties.values()):
                found.append((method.upper(), path, schema))
    return found


def wrong_api_guess(schema: dict) -> dict:
    body = {}
    for name, prop in schema["properties"].items():
        if prop.get("format") == "password":
            body[name] = WRONG_PASSWORD
        elif prop.get("format") == "email":
            body[name] = EMAIL
        elif name in schema.get("required", []):
            body[name] = "x"
    return body


def test_every_api_operation_taking_a_password_is_throttled_per_account(app, make_user):
    make_user(EMAIL, leszno="admin")
    operations = password_operations(app.test_client())
    assert ("POST", "/api/v1/auth/token") in {(m, p) for m, p, _ in operations}
    for method, path, schema in operations:
        clients = [from_address(app.test_client(), address) for address in ADDRESSES]
        body = wrong_api_guess(schema)
        statuses = [
            clients[attempt % 2].open(path, method=method, json=body).status_code
            for attempt in range(10)
        ]
        assert statuses == [401] * 10, path
        refused = clients[0].open(path, method=method, json=body)
        assert refused.status_code == 429, f"{method} {path}: not throttled per account"
        assert refused.mimetype == "application/problem+json"
