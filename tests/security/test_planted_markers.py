"""No private field reaches a person who must not read it: a marker planted in every private
field of Leszno's demo records (tests/security/planted.py), then every GET route of the URL
map and every GET path of the OpenAPI document, as every kind of person."""

from __future__ import annotations

import re

import pytest

from tests.security.conftest import PEOPLE
from tests.security.planted import plant, private_fields
from tests.security.routes import demo_url, get_rules
from tests.sweeps import demo_values


# What the planted records replace among the demo's values, one visit each: the drafts and
# the audit entry, and the meeting people registered for.
def _variants(planted: dict[str, int]) -> list[dict]:
    drafts = {name: planted[name] for name in ("meeting_id", "programme_id", "entry_id")}
    return [{}, drafts, {"meeting_id": planted["event"]}]


@pytest.fixture
def planted(app, people, tokens, owner):
    fields = private_fields()
    ids = plant(owner, fields)
    return fields, ids


def _page_urls(app, values: dict, variants: list[dict]) -> set[str]:
    return {
        url
        for rule in get_rules(app)
        if not rule.rule.startswith("/api/")
        for variant in variants
        if (url := demo_url(rule, {**values, **variant}))
    }


def _api_urls(spec: dict, values: dict, variants: list[dict]) -> set[str]:
    urls = set()
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        names = set(re.findall(r"{(\w+)}", path))
        for variant in variants:
            given = {"tenant_slug": "leszno", "region_slug": "wielkopolskie", **values, **variant}
            if all(given.get(name) is not None for name in names):
                urls.add(path.format_map(given))
    return urls


def test_no_private_marker_reaches_a_person_who_must_not_read_it(
    app, people, tokens, owner, planted
):
    fields, ids = planted
    values = demo_values(owner)
    variants = _variants(ids)
    pages = _page_urls(app, values, variants)
    spec = people["anonymous"].get("/api/v1/openapi.json").json
    api = _api_urls(spec, values, variants)
    leaks, seen, requests = [], {field.name: set() for field in fields}, 0
    for who in PEOPLE:
        bearer = {"Authorization": f"Bearer {tokens[who]}"} if tokens[who] else {}
        for url in sorted(pages | api):
            answer = people[who].get(url, headers=bearer if url in api else {})
            requests += 1
            body = (
                answer.get_data(as_text=True)
                if answer.mimetype.startswith(("text", "application/json"))
                else ""
            )
            for field in fields:
                if field.marker not in body:
                    continue
                seen[field.name].add(who)
                if who not in field.readers:
                    leaks.append(f"{who}: {field.name} in GET {url} ({answer.status_code})")
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(sorted(leaks)[:60])
    # the sweep reached every planted field: its readers found it somewhere
    unseen = [field.name for field in fields if not seen[field.name] & field.readers]
    assert not unseen, unseen
    print(f"{requests} requests ({len(pages)} pages, {len(api)} API paths) × {len(fields)} fields")
    assert requests > 1000, requests
