"""Two doors, one answer, for writes: what a person may do on a page they may do over the
API, and nothing more. Every write operation of the OpenAPI document (POST, PUT, PATCH,
DELETE) is paired with its page twin by the shape of its path (API paths mirror the pages:
`/api/v1/tenants/<slug>/X` ⇔ `/<slug>/X`, `/api/v1/regions/<slug>/X` ⇔ `/regions/<slug>/X`;
a creation's page is `X/new`, an update's `X/edit`), and sent through both doors by every
kind of person, each with a valid request: the form its page shows as a browser submits it,
the body its schema describes, filled from the demo. Each kind of person is let through
both doors or refused at both (refused: 401, 403, 404 or sent to log in; let through:
anything else, 409 or 422 included), refused for who they are (401, 403) before what they
sent is read, and a refusal at either door leaves every table, every stored file and the
mailbox as they were.

A write with no page twin by its shape needs one in PAGE_OF or a reason in API_ONLY, so a
new operation is checked without anyone remembering."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from werkzeug.datastructures import MultiDict

from tests.security import conftest as security
from tests.security.conftest import PEOPLE
from tests.security.test_writes_refused import (
    Write,
    _csrf,
    _files_of,
    _url,
    api_write_operations,
    api_writes,
    files_of_the_view,
    form_of_the_view,
    send,
    state,
    what_changed,
    with_what_the_demo_lacks,
)
from tests.sweeps import as_a_browser_submits, demo_records

# The attacker's suite's people: a logged-in browser and an API token for every kind of person.
people, tokens = security.people, security.tokens

# Page twins whose path has another shape than the API's (a history the API did not copy).
PAGE_OF = {
    "POST /api/v1/tenants/{tenant_slug}/meetings/{meeting_id}/registrations": (
        "/{tenant_slug}/meetings/{meeting_id}/register"
    ),
    "PUT /api/v1/tenants/{tenant_slug}/organisations/{organisation_id}": (
        "/{tenant_slug}/organisations/link"
    ),
    "PUT /api/v1/tenants/{tenant_slug}/programmes/{programme_id}/milestones": (
        "/{tenant_slug}/programmes/{programme_id}/schedule"
    ),
    "POST /api/v1/tenants/{tenant_slug}/programmes/{programme_id}/transitions": (
        "/{tenant_slug}/programmes/{programme_id}/stage"
    ),
    # the page's adoption form takes the evidence file with the rest
    "PUT /api/v1/tenants/{tenant_slug}/standards/{standard_id}/evidence": (
        "/{tenant_slug}/standards/{standard_id}"
    ),
    # the page changes a subscription by one action at a time: turning it off is one
    "PATCH /api/v1/tenants/{tenant_slug}/webhooks/{subscription_id}": (
        "/{tenant_slug}/webhooks/{subscription_id}/deactivate"
    ),
    "DELETE /api/v1/tenants/{tenant_slug}/webhooks/{subscription_id}": (
        "/{tenant_slug}/webhooks/{subscription_id}/deactivate"
    ),
}

# Writes of the API with no page twin, and why no page needs to agree with them.
API_ONLY = {
    "POST /api/v1/auth/token": "exchanges the person's own password for a token: no role "
    "decides it (the pages sign in with the login form, an own door of the writes suite)",
    "DELETE /api/v1/auth/token": "revokes the very token the request is made with",
}

# Where a page's form is shown when it is not on the page itself nor on one above it.
FORM_SHOWN_ON = {"meetings.export_swot": "/{tenant_slug}/programmes/{programme_id}/swot"}

# The page path an API write's page twin may have, after the mirrored path itself.
SUFFIXES = {"POST": ("", "/new"), "PATCH": ("/edit", ""), "PUT": ("/edit", ""), "DELETE": ()}
SUFFIXES["DELETE"] = ("/delete", "/remove", "")
# The people whose pages show the forms, in the order they are looked for.
WRITERS = ("admin", "coordinator", "NGO of the city", "staff")


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _braced(rule: str) -> str:
    """A URL rule with its parameters written as the OpenAPI document writes them."""
    return re.sub(r"<(?:[^<>]*:)?(\w+)>", r"{\1}", rule)


def mirrored(api_path: str) -> str:
    """The page path an API path mirrors."""
    path = api_path.removeprefix("/api/v1")
    return path.removeprefix("/tenants") if path.startswith("/tenants/{tenant_slug}/") else path


def twins(app, spec: dict) -> dict[str, object]:
    """{"METHOD /api/v1/…": the page's URL rule}, for every API write with a page twin."""
    page_rules = {
        _shape(_braced(rule.rule)): rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.rule.startswith("/api/")
    }
    found, unpaired = {}, []
    for method, path, _operation in api_write_operations(spec):
        label = f"{method} {path}"
        if label in API_ONLY:
            continue
        candidates = [PAGE_OF[label]] if label in PAGE_OF else []
        candidates += [mirrored(path) + suffix for suffix in SUFFIXES[method]]
        rule = next((page_rules[_shape(c)] for c in candidates if _shape(c) in page_rules), None)
        if rule is None:
            unpaired.append(label)
        else:
            found[label] = rule
    assert not unpaired, (
        "these API writes have no page twin by their path's shape: name it in PAGE_OF, or "
        f"say in API_ONLY why no page does the same: {unpaired}"
    )
    return found


def _pages_above(url: str) -> list[str]:
    parts = url.rstrip("/").split("/")
    return ["/".join(parts[:end]) or "/" for end in range(len(parts) - 1, 1, -1)]


def page_write(app, rule, values: dict, clients: dict, emails: dict) -> Write | None:
    """The page's write as a person who may make it sends it: the form a page shows for it
    (on the page itself, one above it, or FORM_SHOWN_ON), as a browser submits it; without
    such a page, the view's own form filled in."""
    url = _url(rule, values)
    if url is None:
        return None
    shown_on = FORM_SHOWN_ON.get(rule.endpoint)
    pages = [url, *_pages_above(url)]
    if shown_on:
        pages.insert(0, shown_on.format(tenant_slug=url.split("/")[1], **values))
    write = Write(f"POST {rule.rule}", "POST", rule.endpoint, url, api=False)
    write = replace(write, parameters=frozenset(rule.arguments))
    for page in pages:
        for who in WRITERS:
            answer = clients[who].get(page)
            if answer.status_code != 200 or answer.mimetype != "text/html":
                continue
            for form in lxml.html.fromstring(answer.get_data(as_text=True)).forms:
                action = urlsplit(form.get("action") or page).path
                if (form.get("method") or "").lower() == "post" and action == url:
                    data = as_a_browser_submits(form)
                    typed = form_of_the_view(
                        app, rule.endpoint, "POST", url, emails[who], required_only=True
                    )
                    for name in data:  # what the person would type into the required fields
                        if data[name] == "" and typed.get(name):
                            data.setlist(name, typed.getlist(name))
                    files = files_of_the_view(app, rule.endpoint, "POST") or _files_of(form)
                    return replace(write, form=data, files=files, shown_to=who)
    data = form_of_the_view(app, rule.endpoint, "POST", url, emails["admin"])
    return replace(write, form=data, files=files_of_the_view(app, rule.endpoint, "POST"))


def allowed(response) -> bool:
    """Let through the door: not 401, 403 or 404, nor sent to log in."""
    if response.status_code in (401, 403, 404):
        return False
    return not (response.status_code == 302 and "/login" in (response.location or ""))


def _answer(response) -> str:
    return f"{response.status_code} ({'let through' if allowed(response) else 'refused'})"


def test_every_api_write_lets_through_exactly_whom_its_page_lets_through(
    app,
    people,
    tokens,
    owner,
    mailbox,
):
    clients = people
    emails = {who: person.email for who, person in PEOPLE.items()}
    api_client = app.test_client()  # no session: the API reads bearer tokens only
    spec = api_client.get("/api/v1/openapi.json").json
    pairs = twins(app, spec)
    records = {name: found for name, found in demo_records(owner).items() if name != "tenant_slug"}
    with_what_the_demo_lacks(records, owner)
    values = {name: next(iter(found), None) for name, found in records.items()}
    values["region_slug"] = "wielkopolskie"
    ids = {name: value for name, value in values.items() if name.endswith("_id") and value}

    def read(url: str):
        headers = {"Authorization": f"Bearer {tokens['admin']}"}
        answer = api_client.get(url, headers=headers)
        return answer.json if answer.status_code == 200 else None

    adapter = app.url_map.bind("localhost")
    api = {w.label: w for w in api_writes(spec, records, ids, adapter, read) if w.label in pairs}
    pages = {label: page_write(app, rule, values, clients, emails) for label, rule in pairs.items()}
    csrf = {who: _csrf(client) for who, client in clients.items()}
    storage = Path(app.config["STORAGE_ROOT"])
    disagreements, changes, read_first = [], [], []
    before = state(owner, storage, mailbox)

    def through(door: str, write: Write, who: str, label: str, empty: bool = False):
        nonlocal before
        if write.api:
            write = replace(write, body={} if empty else write.body)
            answer = send(api_client, write, csrf="", token=tokens[who])
        else:
            if empty:
                write = replace(write, form=MultiDict(), files={})
            answer = send(clients[who], write, csrf=csrf[who], token=None)
        after = state(owner, storage, mailbox)
        if not allowed(answer) and (changed := what_changed(before, after)):
            changes.append(f"{label}: {who} refused at the {door} ({answer.status_code}) {changed}")
        before = after
        return answer

    checked, let_through = 0, {}
    for label, api_write in sorted(api.items()):
        page = pages[label]
        pair = f"{label} ⇔ POST {pairs[label].rule}"
        for who in PEOPLE:
            at_page = through("page", page, who, pair)
            at_api = through("API", api_write, who, pair)
            checked += 1
            if allowed(at_page) and allowed(at_api):
                let_through.setdefault(label, []).append(
                    f"{who} {at_page.status_code}/{at_api.status_code}"
                )
            if allowed(at_page) != allowed(at_api):
                disagreements.append(
                    f"{pair}: {who} — page {_answer(at_page)}, API {_answer(at_api)}"
                )
            for door, write, answer in (("page", page, at_page), ("API", api_write, at_api)):
                if allowed(answer):
                    continue
                unread = through(door, write, who, pair, empty=True)
                if (answer.status_code, unread.status_code) == (404, 422):
                    continue  # the API checks a body before it looks for the record: the
                    # 422 of an empty body says nothing of a record the person may not see
                if unread.status_code != answer.status_code:
                    read_first.append(
                        f"{pair}: {who} at the {door}: {answer.status_code} with a valid "
                        f"request, {unread.status_code} with an empty one"
                    )
    shown = sum(1 for write in pages.values() if write.shown_to)
    print(
        f"{len(api)} API writes × {len(PEOPLE)} kinds of person through both doors; "
        f"{shown} page forms as a page shows them, {len(pages) - shown} the view's own; "
        f"let through at both: {sorted(let_through.items())}"
    )
    assert not disagreements, "the doors disagree:\n" + "\n".join(disagreements)
    assert not read_first, "refused only after reading the request:\n" + "\n".join(read_first)
    assert not changes, "a refusal changed something:\n" + "\n".join(changes)
    assert len(api) == len(pairs) and checked == len(pairs) * len(PEOPLE)
