"""Saving a form unchanged changes nothing: not a row of any table, not a version, not the
audit log. Every form page is read from the URL map and filled with the demo's fully filled
records, so a new edit route is swept without anyone remembering it."""

from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html
import pytest
from sqlalchemy import create_engine, text
from werkzeug.datastructures import MultiDict

from app.demo.loader import DEMO_PASSWORD
from app.extensions import db
from tests.conftest import log_in

# Who opens each kind of page: the person of the demo who may edit there.
CITY_STAFF = {"leszno": "admin@leszno.demo", "krakow": "staff@krakow.demo"}
COORDINATOR = "koordynator@wielkopolska.demo"
NGO = "ngo@echo.demo"

# Pages whose form acts rather than saves a record as it stands: posting it back signs in,
# accepts, joins, cancels, sends or records something new, by design.
NOT_EDIT_FORMS = {
    "accounts.login": "signs in",
    "accounts.forgot_password": "sends a link to reset the password",
    "accounts.reset_password": "sets a new password",
    "accounts.accept_invitation": "accepts an invitation",
    "organisations.join": "joins an organisation",
    "organisations.apply": "applies for a place in a city's register",
    "organisations.import_upload": "uploads a file to import",
    "organisations.import_preview": "imports the rows of the preview",
    "meetings.cancel_registration": "cancels a registration",
    "programmes.propose": "sends a proposal",
    "programmes.opinions": "records a new opinion",
}

# The demo's fully filled record each URL parameter names (read as the tables' owner).
DEMO_RECORDS = {
    "tenant_slug": "SELECT 'leszno'",
    "region_slug": "SELECT 'wielkopolskie'",
    "meeting_id": "SELECT m.id FROM meetings m JOIN tenants t ON t.id = m.tenant_id "
    "WHERE t.slug = 'leszno' AND m.held_on = '2023-07-13'",
    "programme_id": "SELECT p.id FROM programmes p JOIN tenants t ON t.id = p.tenant_id "
    "WHERE t.slug = 'leszno' AND p.year_from = 2024 AND p.kind = 'annual'",
    # the teams of the demo are Kraków's (seed 004)
    "team_id": "SELECT tm.team_id FROM team_members tm JOIN tenants t ON t.id = tm.tenant_id "
    "WHERE t.slug = 'krakow' GROUP BY tm.team_id ORDER BY count(*) DESC, tm.team_id LIMIT 1",
    "project_id": "SELECT p.id FROM standards_projects p JOIN regions r ON r.id = p.region_id "
    "WHERE r.slug = 'wielkopolskie' ORDER BY p.id LIMIT 1",
    # the standard of that project Leszno recorded the most about
    "standard_id": "SELECT a.standard_id FROM adoptions a JOIN tenants t ON t.id = a.tenant_id "
    "JOIN standards s ON s.id = a.standard_id "
    "WHERE t.slug = 'leszno' AND s.group_id IS NOT NULL "
    "ORDER BY (a.evidence <> '')::int + (a.decided_on IS NOT NULL)::int "
    "+ (a.notes <> '')::int + (a.evidence_file_key IS NOT NULL)::int DESC, a.standard_id "
    "LIMIT 1",
    "organisation_id": "SELECT id FROM organisations WHERE name = 'Stowarzyszenie „ECHO”'",
}
# The city whose record a parameter names, when it is not Leszno.
CITY_OF = {"team_id": "krakow"}


def form_rules(app) -> list:
    """Pages that show a form and take it back: GET and POST on one rule, not the API."""
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if {"GET", "POST"} <= rule.methods and not rule.rule.startswith("/api/")
        ),
        key=lambda rule: rule.rule,
    )


def _swept(app) -> list:
    return [rule for rule in form_rules(app) if rule.endpoint not in NOT_EDIT_FORMS]


def test_every_form_page_has_a_demo_record_to_open(app):
    uncovered = {rule.rule: sorted(set(rule.arguments) - set(DEMO_RECORDS)) for rule in _swept(app)}
    uncovered = {rule: missing for rule, missing in uncovered.items() if missing}
    assert not uncovered, (
        f"name the demo record for these parameters in DEMO_RECORDS, or list the page in "
        f"NOT_EDIT_FORMS with the reason: {uncovered}"
    )


def _city(rule) -> str:
    return next((CITY_OF[name] for name in rule.arguments if name in CITY_OF), "leszno")


def _person(rule) -> str:
    if "region_slug" in rule.arguments:
        return COORDINATOR
    if "organisation_id" in rule.arguments:
        return NGO
    return CITY_STAFF[_city(rule)]


def _url(rule, values: dict) -> str:
    values = {**values, "tenant_slug": _city(rule)}
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def _posting_back(page: str, path: str) -> list:
    """The page's POST forms whose action is the page itself."""
    document = lxml.html.fromstring(page)
    return [
        form
        for form in document.forms
        if (form.get("method") or "").lower() == "post"
        and urlsplit(form.get("action") or path).path == path
    ]


def _as_a_browser_submits(form) -> MultiDict:
    """Every field as a browser sends it after "Save" is pressed: hidden and visible inputs,
    checked boxes, selected options (else the first), textareas with CRLF line breaks."""
    values = MultiDict()
    for field in form.inputs:
        name = field.get("name")
        if not name or "disabled" in field.attrib:
            continue
        if field.tag == "select":
            chosen = [o for o in field.iter("option") if o.get("selected") is not None]
            if not chosen and not field.multiple:
                chosen = list(field.iter("option"))[:1]
            for option in chosen:
                values.add(name, option.get("value", option.text_content()))
        elif field.tag == "textarea":
            text_value = (field.text or "").removeprefix("\r\n").removeprefix("\n")
            values.add(name, text_value.replace("\r\n", "\n").replace("\n", "\r\n"))
        elif field.get("type", "text") in ("checkbox", "radio"):
            if field.get("checked") is not None:
                values.add(name, field.get("value", "on"))
        elif field.get("type") not in ("submit", "image", "reset", "file", "button"):
            values.add(name, field.get("value", ""))
    submit = form.xpath(".//button[@type='submit' or not(@type)] | .//input[@type='submit']")
    if submit and submit[0].get("name"):
        values.add(submit[0].get("name"), submit[0].get("value", ""))
    return values


# Cross-tenant reads are the record of a coordinator reading, which opening a page is;
# every other table holds what people entered and must not move. Nothing else is excluded:
# an unchanged save is no save, so neither `version` nor `updated_at` moves either.
NOT_DATA = {"cross_tenant_reads"}


def snapshot(engine) -> dict[str, list[tuple]]:
    rows = {}
    with engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            if table.name in NOT_DATA:
                continue
            order = ", ".join(column.name for column in table.primary_key) or "1"
            rows[table.name] = [
                tuple(row)
                for row in connection.execute(text(f"SELECT * FROM {table.name} ORDER BY {order}"))
            ]
    return rows


def _difference(before: dict, after: dict) -> list[str]:
    """What moved, one line per table: row counts and the first row that differs."""
    changed = []
    for table, rows in before.items():
        if rows == after[table]:
            continue
        gone = [row for row in rows if row not in after[table]]
        came = [row for row in after[table] if row not in rows]
        changed.append(
            f"{table}: {len(rows)} → {len(after[table])} rows; "
            f"was {str(gone[:1])[:300]}, now {str(came[:1])[:300]}"
        )
    return changed


@pytest.fixture
def owner(databases):
    engine = create_engine(databases.owner_url)
    yield engine
    engine.dispose()


def test_saving_any_form_unchanged_changes_nothing(app, demo, owner):
    with owner.connect() as connection:
        values = {name: connection.scalar(text(sql)) for name, sql in DEMO_RECORDS.items()}
    missing = [name for name, value in values.items() if value is None]
    assert not missing, f"the demo has no record for {missing}"
    clients = {}
    covered, failures = [], {}
    for rule in _swept(app):
        person = _person(rule)
        if person not in clients:
            clients[person] = app.test_client()
            log_in(clients[person], person, DEMO_PASSWORD)
        client = clients[person]
        url = _url(rule, values)
        page = client.get(url)
        assert page.status_code == 200, f"{person} cannot open {url}: {page.status_code}"
        for form in _posting_back(page.get_data(as_text=True), url):
            before = snapshot(owner)
            multipart = (form.get("enctype") or "") == "multipart/form-data"
            response = client.post(
                url,
                data=_as_a_browser_submits(form),
                content_type="multipart/form-data" if multipart else None,
            )
            covered.append(url)
            # an empty form for a new record is refused; it must create nothing all the same
            if response.status_code >= 400 and not rule.rule.endswith("/new"):
                failures[url] = f"answered {response.status_code}"
                continue
            changed = _difference(before, snapshot(owner))
            if changed:
                failures[url] = changed
    assert not failures, "\n".join(f"{url}: {problem}" for url, problem in failures.items())
    # the meeting, the team, the programme's content, schedule and report, the project, the
    # standard, the adoption, the organisation and the account, at the least
    assert len(covered) >= 10, covered
