"""Every door anyone may use to make Razem send an e-mail is limited per address and per
client (issue #11, item 3). The doors are found from the code, not listed: every POST route
of the URL map, sent anonymously the form a page shows for it (or a bare name and address),
and every operation of the OpenAPI document that asks for no token, sent a body built from
its schema — each with a person's address wherever an address goes. A door that mails is
then tried 25 times to one address and 25 times to 25 addresses."""

from __future__ import annotations

import re

import lxml.html
from limits import parse_many
from sqlalchemy import text

from app.extensions import limiter
from app.mail import MAILS_FROM_ONE_CLIENT, MAILS_TO_ONE_ADDRESS
from tests.conftest import csrf_token
from tests.sweeps import as_a_browser_submits, demo_values, url_of

# A person of the demo: forms that mail only an existing account mail them too.
PERSON = "ngo@echo.demo"
TRIES = 25
PER_ADDRESS = min(limit.amount for limit in parse_many(MAILS_TO_ONE_ADDRESS))
PER_CLIENT = min(limit.amount for limit in parse_many(MAILS_FROM_ONE_CLIENT))
NOT_TRIED = {"accounts.logout", "static"}


def _filled(form, address: str) -> dict:
    """The form as a person fills it: an address in every e-mail field, a word in every
    empty visible field; what is hidden from people stays as it is."""
    values = as_a_browser_submits(form)
    for field in form.inputs:
        name = field.get("name")
        if not name or field.xpath("ancestor-or-self::*[@hidden]"):
            continue
        if field.get("type") == "email" or "email" in name:
            values[name] = address
        elif field.get("type", "text") == "text" and not values.get(name):
            values[name] = "Jan Kowalski"
    return values.to_dict()


def _known(demo: dict) -> set[str]:
    return {name for name, value in demo.items() if value is not None}


def _page_doors(app, client, demo) -> dict:
    """POST route → how to send it with an address: the form a public page shows for it."""
    forms = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_TRIED or rule.arguments - _known(demo):
            continue
        response = client.get(url_of(rule, demo))
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        for form in lxml.html.fromstring(response.get_data(as_text=True)).forms:
            if (form.get("method") or "").lower() == "post" and form.get("action"):
                forms.setdefault(form.get("action").split("?")[0], form)
    doors = {}
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        if rule.endpoint in NOT_TRIED or rule.arguments - _known(demo):
            continue
        url = url_of(rule, demo)
        form = forms.get(url)

        def send(address, url=url, form=form):
            data = (
                _filled(form, address)
                if form is not None
                else {"name": "Jan Kowalski", "email": address}
            )
            return client.post(url, data={**data, "csrf_token": csrf_token(client)})

        doors[f"POST {rule.rule}"] = send
    return doors


def _example(schema: dict, spec: dict, address: str):
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    kind = schema.get("type", "object")
    if kind == "object":
        return {
            name: _example(field, spec, address)
            for name, field in schema.get("properties", {}).items()
            if not field.get("readOnly")
        }
    if kind == "array":
        return [_example(schema.get("items", {}), spec, address)]
    if schema.get("format") == "email":
        return address
    return {"integer": 1, "number": 1, "boolean": False}.get(kind, "Jan Kowalski")


def _api_doors(client, demo) -> dict:
    spec = client.get("/api/v1/openapi.json").json
    doors = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch", "delete") or operation.get("security"):
                continue
            url = re.sub(r"\{(\w+)\}", lambda m: str(demo[m.group(1)]), path)
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")

            def send(address, url=url, method=method, body=body):
                json = _example(body["schema"], spec, address) if body else None
                return client.open(url, method=method.upper(), json=json)

            doors[f"{method.upper()} {path}"] = send
    return doors


def test_every_public_door_that_mails_is_limited(app, demo, owner, monkeypatch):
    demo = demo_values(owner)
    demo["tenant_slug"], demo["region_slug"] = "leszno", "wielkopolskie"
    with owner.begin() as connection:  # the demo's meeting, open for registration
        connection.execute(
            text(
                "UPDATE meetings SET registration_open = true, registration_deadline = NULL, "
                "held_on = current_date + 30 WHERE id = :id"
            ),
            {"id": demo["meeting_id"]},
        )
    sent: list[str] = []
    monkeypatch.setattr("app.mail.enqueue", lambda name, **job: sent.append(job["to"]))
    client = app.test_client()
    doors = {**_page_doors(app, client, demo), **_api_doors(client, demo)}

    mailing = []
    for door, send in doors.items():
        limiter.reset()
        sent.clear()
        send(PERSON)
        if not sent:
            continue
        mailing.append(door)
        limiter.reset()
        sent.clear()
        for _ in range(TRIES):
            send(PERSON)
        assert len(sent) <= PER_ADDRESS, f"{door} mailed one address {len(sent)} times"
        limiter.reset()
        sent.clear()
        for number in range(TRIES):
            send(f"osoba{number}@example.org")
        assert len(sent) <= PER_CLIENT, f"{door} mailed {len(sent)} addresses from one client"

    # the sweep finds the doors known today; a new one is swept without being named here
    assert {
        "POST /<tenant_slug>/meetings/<int:meeting_id>/register",
        "POST /api/v1/tenants/{tenant_slug}/meetings/{meeting_id}/registrations",
        "POST /password/forgot",
    } <= set(mailing), mailing
    print(f"{len(doors)} doors tried anonymously; mailing: {mailing}")
