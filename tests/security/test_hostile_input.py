"""Hostile input answers 4xx, never 5xx: every query parameter the pages send, every path
parameter, every JSON body of the API, with what the attacker sent (NUL bytes, half a
character, numbers past any column, `²`), then whatever Hypothesis makes of them."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter

from tests.security.routes import demo_url, get_rules, query_parameters
from tests.sweeps import demo_values, url_of

# What the attacker sent, raw (percent-encoded as it went over the wire), and the answer
# it must get: a 400 where the text cannot be text, else any answer but a server error.
UNREADABLE = {"NUL byte": "a%00b", "invalid UTF-8": "%FF%FE", "lone surrogate": "%ED%A0%80"}
UNFITTING = {
    "superscript digit": "%C2%B2",
    "past bigint": str(2**70),
    "past integer": str(2**31),
    "negative": "-1",
    "long text": "%C4%85" * 5000,
    "bidi override and path parts": "..%2F..%2F%E2%80%AEfdp.exe",
}


@pytest.fixture
def site(app, people, owner):
    """Each GET route's demo URL, and the query parameters its pages send to it."""
    demo = demo_values(owner)
    urls = {rule.endpoint: url for rule in get_rules(app) if (url := demo_url(rule, demo))}
    pages = []
    for url in urls.values():
        for who in ("admin", "coordinator"):
            answer = people[who].get(url)
            if answer.status_code == 200 and "html" in answer.content_type:
                pages.append((url, answer.get_data(as_text=True)))
    return urls, query_parameters(app, pages)


def test_every_query_parameter_refuses_hostile_values_without_a_server_error(people, site):
    urls, parameters = site
    assert len(parameters) >= 8, parameters
    assert {"area", "legal_form", "tag"} <= parameters["organisations.directory"]
    assert {"entity", "user"} <= parameters["audit.entries"]
    failures, sent = [], 0
    for endpoint, names in sorted(parameters.items()):
        for name in sorted(names):
            for label, raw in {**UNREADABLE, **UNFITTING}.items():
                for who in ("anonymous", "admin", "coordinator"):
                    if name == "page" and label.startswith("past"):
                        continue  # paginate's bounds: another change of issue #11
                    url = f"{urls[endpoint]}?{name}={raw}"
                    status = people[who].get(url).status_code
                    sent += 1
                    if status >= 500 or (label in UNREADABLE and status != 400):
                        failures.append(f"{who}: {label} → GET {url[:100]} → {status}")
    assert not failures, "\n".join(failures)
    assert sent > 500, sent


def test_unreadable_text_in_a_path_or_a_form_is_a_bad_request(client):
    for raw in UNREADABLE.values():
        # the raw bytes, as a WSGI server hands the path over (a test client would mend them)
        path = unquote_to_bytes(raw).decode("latin-1")
        for url in (f"/leszno/organisations/{path}", f"/{path}/programmes"):
            answer = client.get("/", environ_overrides={"PATH_INFO": url})
            assert answer.status_code == 400, url
        posted = client.post(
            "/login", data=f"email={raw}", content_type="application/x-www-form-urlencoded"
        )
        assert posted.status_code == 400


def test_every_json_body_of_the_api_refuses_nul_and_lone_surrogates(people, tokens, owner):
    spec = people["anonymous"].get("/api/v1/openapi.json").json
    values = {
        **demo_values(owner),
        "tenant_slug": "leszno",
        "region_slug": "wielkopolskie",
        "window": "consultation",
    }
    failures, sent = [], 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            for text in ('"a\\u0000b"', '"\\ud800"'):
                body = f'{{"name": {text}, "email": {text}, "title": {text}}}'
                answer = people["admin"].open(
                    path.format_map(values),
                    method=method.upper(),
                    data=body,
                    content_type="application/json",
                    headers={"Authorization": f"Bearer {tokens['admin']}"},
                )
                sent += 1
                if answer.status_code != 400:
                    failures.append(f"{method.upper()} {path} {text} → {answer.status_code}")
    assert not failures, "\n".join(failures)
    assert sent >= 4, sent


def _value_of(converter):
    if isinstance(converter, IntegerConverter):
        return st.integers(min_value=0, max_value=2**70)
    if isinstance(converter, AnyConverter):  # nothing else can even be built into a URL
        return st.sampled_from(sorted(converter.items))
    return st.text(min_size=1, max_size=300).filter(lambda text: "/" not in text)


def test_hypothesis_over_the_path_and_query_of_every_get_route_finds_no_server_error(
    app, people, site
):
    """Values Hypothesis makes for each route's path parameters and for the query parameters
    its pages send (and a few every page could be sent), as the city's admin."""
    _, parameters = site
    client, failures = people["admin"], []
    for rule in get_rules(app):
        _visit_with_hypothesis(client, rule, parameters.get(rule.endpoint, set()), failures)
    assert not failures, "\n".join(failures[:20])


def _visit_with_hypothesis(client, rule, query_names: set[str], failures: list[str]) -> None:
    """A few examples per route, so the whole URL map stays well under a minute."""
    names = sorted(query_names | {"page", "q", "id"})
    path = {name: _value_of(c) for name, c in rule._converters.items() if "slug" not in name}

    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        path=st.fixed_dictionaries(path),
        query=st.dictionaries(st.sampled_from(names), st.text(max_size=50)),
    )
    def visit(path, query):
        url = url_of(rule, {"region_slug": "wielkopolskie", "city_slug": "leszno", **path})
        status = client.get(url, query_string=query).status_code
        if status >= 500:
            failures.append(f"GET {url[:100]} {query} → {status}")

    visit()
