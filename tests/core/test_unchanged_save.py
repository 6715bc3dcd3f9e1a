"""Saving a form unchanged changes nothing: not a row of any table, not a version, not the
audit log. Every form page is read from the URL map and filled with the demo's fully filled
records, so a new edit route is swept without anyone remembering it."""

from __future__ import annotations

from itertools import product

from app.demo.loader import DEMO_PASSWORD
from tests.conftest import log_in
from tests.sweeps import (
    DEMO_RECORDS,
    as_a_browser_submits,
    city_of,
    demo_records,
    difference,
    forms_posting_to,
    snapshot,
    url_of,
)

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
    "meetings.confirm_registration": "confirms a registration",
    "programmes.propose": "sends a proposal",
    "programmes.opinions": "records a new opinion",
    "programmes.file_year_report": "files the report on a year not yet reported",
    "accounts.sign_up": "opens an account",
    "accounts.confirm_email": "confirms an address",
    "organisations.register_new": "registers a new organisation",
    "notifications.stop": "stops the e-mails of a kind, from the link of an e-mail",
    "regions.project_report": "starts making the project's report for the period",
}


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


def _person(rule) -> str:
    if "region_slug" in rule.arguments:
        return COORDINATOR
    if "organisation_id" in rule.arguments:
        return NGO
    return CITY_STAFF[city_of(rule)]


def _openable(client, rule, records: dict) -> tuple[str, str]:
    """The first demo record whose form this page opens: an adopted programme's text is
    frozen (409), next year's draft is not, and its report waits for the year (both kept)."""
    names = sorted(set(rule.arguments) & set(records))
    answers = []
    for chosen in product(*(records[name] for name in names)):
        url = url_of(rule, dict(zip(names, chosen, strict=True)))
        page = client.get(url)
        if page.status_code == 200:
            return url, page.get_data(as_text=True)
        answers.append(f"{url}: {page.status_code}")
    raise AssertionError(f"no demo record opens {rule.rule}: {answers}")


def test_saving_any_form_unchanged_changes_nothing(app, demo, owner):
    records = demo_records(owner)
    parameters = {name for rule in _swept(app) for name in rule.arguments}
    missing = [name for name in parameters if not records.get(name)]
    assert not missing, f"the demo has no record for {missing}"
    clients = {}
    covered, failures = [], {}
    for rule in _swept(app):
        person = _person(rule)
        if person not in clients:
            clients[person] = app.test_client()
            log_in(clients[person], person, DEMO_PASSWORD)
        client = clients[person]
        url, page = _openable(client, rule, records)
        for form in forms_posting_to(page, url):
            before = snapshot(owner)
            multipart = (form.get("enctype") or "") == "multipart/form-data"
            response = client.post(
                url,
                data=as_a_browser_submits(form),
                content_type="multipart/form-data" if multipart else None,
            )
            covered.append(url)
            # an empty form for a new record is refused; it must create nothing all the same
            if response.status_code >= 400 and not rule.rule.endswith("/new"):
                failures[url] = f"answered {response.status_code}"
                continue
            changed = difference(before, snapshot(owner))
            if changed:
                failures[url] = changed
    assert not failures, "\n".join(f"{url}: {problem}" for url, problem in failures.items())
    # the meeting, the team, the programme's content, schedule and report, the project, the
    # standard, the adoption, the organisation and the account, at the least
    assert len(covered) >= 10, covered
