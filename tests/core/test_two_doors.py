"""Two doors, one answer: every resource a city serves both as a page and through the API
gives each audience the same answer at both (visible, 404, 403 or "log in first"), and the
API tells no audience a private detail its page keeps from it.

The pairs are read from the OpenAPI document and the URL map, so a new API resource with a
page twin is checked without anyone remembering; one the sweep cannot classify fails it.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.extensions import db
from app.organisations.models import OrganisationMember
from app.programmes.catalogue import CYCLE
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD, log_in

API_PREFIX = "/api/v1/tenants/{tenant_slug}"

# API resources whose page has another path.
PAGE_OF = {
    "/programmes/{programme_id}/comments": "/programmes/{programme_id}/consultation",
    "/adoption": "/standards",
}

# API resources with no page of their own, and why.
API_ONLY = {
    "/programmes/{programme_id}/milestones": "the schedule is part of the programme's page",
    "/programmes/{programme_id}/transitions": "the history is part of the programme's page",
    "/programmes/{programme_id}/proposals": "an NGO reads its own here, on /proposals/mine "
    "on the pages; staff read the aggregated list at both",
}

# The private details of a city's records: no audience reads them through the API unless
# its page shows them too.
PRIVATE_KEYS = {
    "contact_name",
    "contact_email",
    "contact_phone",
    "notes",
    "tags",
    "responsible_email",
    "attendees",
}

ROLES = (
    "anonymous",
    "ngo of the city",
    "ngo of another city",
    "viewer",
    "staff",
    "admin",
    "coordinator of the region",
    "coordinator of another region",
)


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _twins(app, client) -> dict[str, str]:
    """{API path: page path}, both relative to the tenant, for every API GET of a city."""
    spec = client.get("/api/v1/openapi.json").json["paths"]
    api_paths = [
        path.removeprefix(API_PREFIX)
        for path, operations in spec.items()
        if path.startswith(API_PREFIX) and "get" in operations
    ]
    pages = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).removeprefix("/{tenant_slug}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/<tenant_slug>/") and "GET" in rule.methods
    }
    page_by_shape = {_shape(page): page for page in pages}
    twins, unclassified = {}, []
    for path in api_paths:
        page = PAGE_OF.get(path) or page_by_shape.get(_shape(path))
        if path in API_ONLY:
            continue
        if page is None:
            unclassified.append(path)
        else:
            twins[path] = page
    assert not unclassified, (
        f"give these a page twin (PAGE_OF) or a reason (API_ONLY): {unclassified}"
    )
    return twins


def _cases(tenant) -> dict[frozenset[str], list[tuple[str, dict]]]:
    """For each set of URL parameters, the records to try, by what makes them differ."""
    programmes = []
    for year, stage in enumerate(CYCLE, start=2040):
        programme = factories.programme(tenant, year, stage.value, complete=True)
        with tenant_scope(tenant.id):
            record = db.session.merge(programme)
            record.resolution_number, record.resolution_date = "XII/1/2023", date(2023, 11, 30)
            db.session.commit()
        programmes.append((f"programme {stage.value}", {"programme_id": programme.id}))
    meetings = [
        ("draft meeting", {"meeting_id": factories.meeting(tenant, published=False)}),
        ("published meeting", {"meeting_id": factories.meeting(tenant)}),
    ]
    organisations = []
    for status in ("active", "archived", "requested"):
        registration = factories.registration(tenant, status=status)
        with tenant_scope(tenant.id):
            record = db.session.merge(registration)
            record.contact_name, record.contact_email = "Jan Nowak", "jan@nowak.pl"
            record.contact_phone = "+48 600 100 200"
            db.session.commit()
            ids = {  # the city's row: read in the city
                "organisation_id": registration.organisation_id,
                "registration_id": registration.id,
            }
        organisations.append((f"{status} organisation", ids))
    teams = [("team", {"team_id": factories.team(tenant)})]
    factories.decision(tenant)
    project = factories.standards_project(tenant.region, standards=2)
    adopted, untouched = project.blocks[0].standards
    factories.adoption(tenant, adopted, "adopted", notes="Radny X był przeciw.")
    standards = [
        ("standard the city adopted", {"standard_id": adopted.id}),
        ("standard the city has not started", {"standard_id": untouched.id}),
    ]
    subscriptions = [("webhook subscription", {"subscription_id": factories.subscription(tenant)})]
    return {
        frozenset(): [("list", {})],
        frozenset({"programme_id"}): programmes,
        frozenset({"meeting_id"}): meetings,
        frozenset({"organisation_id"}): organisations,
        frozenset({"standard_id"}): standards,
        frozenset({"subscription_id"}): subscriptions,
        frozenset({"team_id"}): teams,
    }


@pytest.fixture
def audiences(app, make_user, tenants):
    """A page client and API headers for each role."""
    users = {
        "ngo of the city": make_user("ngo@leszno.pl"),
        "ngo of another city": make_user("ngo@kalisz.pl"),
        "viewer": make_user("viewer@leszno.pl", leszno="viewer"),
        "staff": make_user("staff@leszno.pl", leszno="staff"),
        "admin": make_user("admin@leszno.pl", leszno="admin"),
        "coordinator of the region": make_user("k@wielkopolska.pl", coordinator_of="wielkopolskie"),
        "coordinator of another region": make_user("k@malopolska.pl", coordinator_of="malopolskie"),
    }
    for role, city in (("ngo of the city", "leszno"), ("ngo of another city", "kalisz")):
        organisation = factories.registration(tenants[city]).organisation
        db.session.add(OrganisationMember(organisation_id=organisation.id, user=users[role]))
    db.session.commit()
    doors = {"anonymous": (app.test_client(), {})}
    for role, user in users.items():
        page = app.test_client()
        log_in(page, user.email)
        token = page.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
        doors[role] = (page, {"Authorization": f"Bearer {token.json['token']}"})
    return doors


def _answer(response) -> str:
    if response.status_code in (200, 201):
        return "visible"
    if response.status_code == 401 or (
        response.status_code == 302 and "/login" in response.location
    ):
        return "log in"
    return str(response.status_code)


def _private_values(data, found: set[str] | None = None) -> set[str]:
    found = set() if found is None else found
    if isinstance(data, list):
        for item in data:
            _private_values(item, found)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key in PRIVATE_KEYS and value:
                found.add(str(value))
            else:
                _private_values(value, found)
    return found


def test_both_doors_give_every_audience_the_same_answer(app, client, tenants, audiences):
    twins = _twins(app, client)
    cases = _cases(tenants["leszno"])
    checked, disagreements, leaks = 0, [], []
    for api_path, page_path in twins.items():
        parameters = frozenset(re.findall(r"\{(\w+)\}", api_path))
        assert parameters in cases, f"no records to try for {api_path}: add them to _cases"
        for label, values in cases[parameters]:
            api_url = "/api/v1/tenants/leszno" + api_path.format(**values)
            page_url = "/leszno" + page_path.format(**values)
            for role in ROLES:
                page, headers = audiences[role]
                at_page = page.get(page_url)
                at_api = client.get(api_url, headers=headers)
                if _answer(at_page) != _answer(at_api):
                    disagreements.append(
                        f"{role}, {label}: page {page_url} {_answer(at_page)}, "
                        f"API {api_url} {_answer(at_api)}"
                    )
                elif role not in ("staff", "admin") and at_api.status_code == 200:
                    html = at_page.get_data(as_text=True)
                    hidden = {v for v in _private_values(at_api.json) if v not in html}
                    if hidden:
                        leaks.append(f"{role}, {label}: {api_url} tells {sorted(hidden)}")
                checked += 1
    assert not disagreements, "\n".join(disagreements)
    assert not leaks, "\n".join(leaks)
    assert checked >= 8 * 20
