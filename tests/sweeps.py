"""What the generated sweeps share: the demo record each URL parameter names, forms read
and submitted as a browser does, and a snapshot of every table to compare."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html
from sqlalchemy import text
from werkzeug.datastructures import MultiDict

from app.extensions import db

# The demo's fully filled record each URL parameter names (read as the tables' owner).
DEMO_RECORDS = {
    "tenant_slug": "SELECT 'leszno'",
    "region_slug": "SELECT 'wielkopolskie'",
    # a city of that region, whose row a matrix cell opens
    "city_slug": "SELECT 'leszno'",
    "meeting_id": "SELECT m.id FROM meetings m JOIN tenants t ON t.id = m.tenant_id "
    "WHERE t.slug = 'leszno' AND m.held_on = '2023-07-13'",
    # the 2024 programme, reported; then next year's, in consultation on the demo's day
    "programme_id": "SELECT p.id FROM programmes p JOIN tenants t ON t.id = p.tenant_id "
    "WHERE t.slug = 'leszno' AND p.kind = 'annual' ORDER BY p.year_from",
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
    # the report on the first year of Kraków's multi-year programme
    "year_report_id": "SELECT r.id FROM programme_year_reports r "
    "JOIN tenants t ON t.id = r.tenant_id WHERE t.slug = 'krakow' ORDER BY r.year LIMIT 1",
}
# The city whose record a parameter names, when it is not Leszno.
CITY_OF = {"team_id": "krakow", "year_report_id": "krakow"}

# Records of the demo that the edit forms do not open, for the sweeps that visit every route.
DEMO_RECORDS.update(
    {
        name: f"SELECT x.id FROM {table} x JOIN tenants t ON t.id = x.tenant_id "
        "WHERE t.slug = 'leszno' ORDER BY x.id LIMIT 1"
        for name, table in {
            "proposal_id": "programme_proposals",
            "comment_id": "programme_comments",
            "opinion_id": "programme_opinions",
            "decision_id": "meeting_decisions",
            "attachment_id": "meeting_attachments",
            "membership_id": "memberships",
            "invitation_id": "invitations",
            "entry_id": "audit_log",
            "registration_id": "registrations",
            "adoption_id": "adoptions",
            "subscription_id": "webhook_subscriptions",
        }.items()
    }
)
# the delivery Leszno's BIP gave up on, which its administrator may send again
DEMO_RECORDS["delivery_id"] = (
    "SELECT d.id FROM webhook_deliveries d JOIN tenants t ON t.id = d.tenant_id "
    "WHERE t.slug = 'leszno' ORDER BY d.gave_up_at IS NULL, d.id LIMIT 1"
)
DEMO_RECORDS["number"] = "SELECT 1"
# the longest of a city's legal texts, with the dates of its own
DEMO_RECORDS["kind"] = "SELECT 'accessibility_statement'"


def demo_records(engine) -> dict[str, list]:
    """The demo records each URL parameter may name, the fullest first."""
    with engine.connect() as connection:
        return {name: list(connection.scalars(text(sql))) for name, sql in DEMO_RECORDS.items()}


def demo_values(engine) -> dict:
    """The demo record each URL parameter names (None where the demo has none)."""
    return {name: next(iter(records), None) for name, records in demo_records(engine).items()}


def city_of(rule) -> str:
    return next((CITY_OF[name] for name in rule.arguments if name in CITY_OF), "leszno")


def url_of(rule, values: dict) -> str:
    values = {**values, "tenant_slug": city_of(rule)}
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def forms_posting_to(page: str, path: str) -> list:
    """The page's POST forms whose action is the page itself."""
    document = lxml.html.fromstring(page)
    return [
        form
        for form in document.forms
        if (form.get("method") or "").lower() == "post"
        and urlsplit(form.get("action") or path).path == path
    ]


def as_a_browser_submits(form) -> MultiDict:
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


def difference(before: dict, after: dict) -> list[str]:
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


def smallest_example(schema: dict, document: dict, values: dict):
    """The smallest valid body the OpenAPI document describes."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    if schema.get("type") == "array":
        return [smallest_example(schema["items"], document, values)]
    if schema.get("type") == "object" or "properties" in schema:
        return {
            key: values.get(key, smallest_example(schema["properties"][key], document, values))
            for key in schema.get("required", [])
        }
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("format") == "date":
        return "2024-03-01"
    if schema.get("type") == "boolean":
        return True
    if schema.get("format") == "email":
        return "sekretariat@fundacja.example.org"
    if schema.get("format") in ("uri", "url"):
        return "https://bip.fundacja.example.org/zdarzenia"
    return 1 if schema.get("type") == "integer" else "Zmiana treści uchwalonego programu"


def api_body(document: dict, rule, method: str, values: dict) -> dict:
    """The request's body as the test client takes it: `json`, or `data` for a form."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
    operation = document["paths"][path][method.lower()]
    if "requestBody" not in operation:
        return {}
    content = operation["requestBody"]["content"]
    if "multipart/form-data" in content:
        schema = content["multipart/form-data"]["schema"]
        return {"data": smallest_example(schema, document, values)}
    return {"json": smallest_example(content["application/json"]["schema"], document, values)}
