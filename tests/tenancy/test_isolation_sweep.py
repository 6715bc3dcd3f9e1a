"""Every route that takes an id answers 404 for another tenant's object, and 403 without
the role. Routes are read from the URL map, so a new route cannot escape the sweep."""

from __future__ import annotations

import itertools

import pytest

from tests import factories
from tests.conftest import PASSWORD, log_in, post_form
from tests.sweeps import api_body

# How to make, in a given tenant, the object each URL parameter names.
OBJECT_MAKERS = {
    "entry_id": lambda tenant: factories.audit_entry(tenant).id,
    "membership_id": lambda tenant: factories.membership(tenant, factories.unique_email()).id,
    "invitation_id": lambda tenant: factories.invitation(tenant)[0].id,
    "token": lambda tenant: factories.invitation(tenant)[1],
    "registration_id": lambda tenant: factories.registration(tenant).id,
    # the API names an organisation by its global id; another city's answers 404 here
    "organisation_id": lambda tenant: factories.registration(tenant).organisation_id,
    "programme_id": lambda tenant: factories.programme(tenant, year=_next_year()).id,
    "proposal_id": lambda tenant: (
        factories.proposal(tenant, factories.programme(tenant, year=_next_year())).id
    ),
    "comment_id": factories.comment,
    "meeting_id": factories.meeting,
    "decision_id": factories.decision,
    "team_id": factories.team,
    "attachment_id": factories.meeting_attachment,
    "number": lambda tenant: 1,  # a version number, with another tenant's meeting
    "opinion_id": factories.opinion,
    "year_report_id": factories.year_report,
    # standards belong to a region's project: those of another region answer 404 in a city
    "standard_id": lambda tenant: factories.standard_of_another_region(tenant).id,
    "window": lambda tenant: "consultation",  # a window of another tenant's programme
    "claim_id": lambda tenant: factories.claim_review(tenant).claim_id,
    "event_registration_id": lambda tenant: factories.event_registration(tenant)[0].id,
    "subscription_id": factories.subscription,
    "delivery_id": factories.webhook_delivery,
}

# Parameters that choose one of a tenant's pages rather than name an object: every tenant
# has them, so they are filled in but never expected to answer 404.
PAGE_CHOICES = {
    "kind": "privacy_clause",
}


# Where one parameter name means another kind of object on a particular route.
ENDPOINT_MAKERS = {
    "meetings.cancel_registration": {"token": factories.registration_token},
}


def _values(rule, tenant) -> dict:
    makers = {**OBJECT_MAKERS, **ENDPOINT_MAKERS.get(rule.endpoint, {})}
    chosen = {name: PAGE_CHOICES[name] for name in rule.arguments if name in PAGE_CHOICES}
    return {name: makers[name](tenant) for name in id_parameters(rule)} | chosen


# Every route with a programme takes a new period; never running out, and far from the
# factories' own years.
_years = itertools.count(5000)


def _next_year() -> int:
    return next(_years)


def tenant_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "tenant_slug" in rule.arguments and rule.endpoint != "static"
    ]


def id_parameters(rule) -> set[str]:
    return set(rule.arguments) - {"tenant_slug"} - set(PAGE_CHOICES)


def test_every_tenant_route_with_an_id_is_covered_by_the_sweep(app):
    uncovered = {
        rule.rule for rule in tenant_rules(app) if id_parameters(rule) - set(OBJECT_MAKERS)
    }
    assert not uncovered, f"add these parameters to OBJECT_MAKERS: {uncovered}"


def _request(client, rule, url, token: str | None = None):
    if rule.rule.startswith("/api/"):  # the API knows bearer tokens only
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if "GET" in rule.methods:
            return client.get(url, headers=headers)
        # a valid body, so that what answers is the record's owner, not the body's checks
        method = next(m for m in ("POST", "PATCH", "PUT", "DELETE") if m in rule.methods)
        body = api_body(_document(client), rule, method, {})
        return client.open(url, method=method, headers=headers, **body)
    if "GET" in rule.methods:
        return client.get(url)
    return post_form(client, url)


def _document(client) -> dict:
    return client.get("/api/v1/openapi.json").json


def _token(client, email: str) -> str:
    return client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD}).json[
        "token"
    ]


def _routes_with_ids(app):
    return [rule for rule in tenant_rules(app) if id_parameters(rule)]


def _client_with_the_role(app, rule, clients: dict):
    """The city's admin for most routes; an NGO representative for the NGOs' own."""
    required = getattr(app.view_functions[rule.endpoint], "required_roles", ())
    return clients["ngo"] if required == ("ngo",) else clients["admin"]


def test_another_tenants_ids_answer_404_on_every_route(app, make_user, tenants):
    from app.extensions import db
    from app.organisations.models import OrganisationMember

    make_user("admin@leszno.pl", leszno="admin")
    representative = make_user("ngo@leszno.pl")
    organisation = factories.registration(tenants["leszno"]).organisation
    db.session.add(OrganisationMember(organisation_id=organisation.id, user=representative))
    db.session.commit()
    clients = {"admin": app.test_client(), "ngo": app.test_client()}
    log_in(clients["admin"], "admin@leszno.pl")
    log_in(clients["ngo"], "ngo@leszno.pl")
    tokens = {
        clients["admin"]: _token(clients["admin"], "admin@leszno.pl"),
        clients["ngo"]: _token(clients["ngo"], "ngo@leszno.pl"),
    }
    checked = []
    for rule in _routes_with_ids(app):
        values = _values(rule, tenants["kalisz"])
        with app.test_request_context():
            url = app.url_for(rule.endpoint, tenant_slug="leszno", **values)
        client = _client_with_the_role(app, rule, clients)
        response = _request(client, rule, url, tokens[client])
        assert response.status_code == 404, f"{rule.rule} answered {response.status_code}"
        checked.append(rule.rule)
    assert len(checked) >= 15


@pytest.mark.parametrize("role", ["staff", "ngo", "viewer"])
def test_routes_for_admins_answer_403_to_other_roles(app, client, make_user, tenants, role):
    make_user("osoba@leszno.pl", leszno=role)
    log_in(client, "osoba@leszno.pl")
    token = _token(client, "osoba@leszno.pl")
    checked = 0
    for rule in tenant_rules(app):
        view = app.view_functions[rule.endpoint]
        required = getattr(view, "required_roles", ())
        if not required or role in required:
            continue
        values = _values(rule, tenants["leszno"])
        with app.test_request_context():
            url = app.url_for(rule.endpoint, tenant_slug="leszno", **values)
        response = _request(client, rule, url, token)
        assert response.status_code == 403, f"{rule.rule} answered {response.status_code}"
        checked += 1
    assert checked >= 6


def test_anonymous_visitors_are_sent_to_log_in(app, client, tenants):
    for rule in tenant_rules(app):
        if not hasattr(app.view_functions[rule.endpoint], "required_roles"):
            continue
        values = _values(rule, tenants["leszno"])
        with app.test_request_context():
            url = app.url_for(rule.endpoint, tenant_slug="leszno", **values)
        if "GET" not in rule.methods:
            continue
        response = client.get(url)
        if rule.rule.startswith("/api/"):  # a program is told, not redirected
            assert response.status_code == 401, rule.rule
            assert response.content_type == "application/problem+json"
        else:
            assert response.status_code == 302 and "/login" in response.location, rule.rule
