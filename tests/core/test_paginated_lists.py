"""Long lists are cut into pages one way: `page=` that is not a page number shows the first
page, a page past the last is a 404, and no value of it is ever a server error."""

from __future__ import annotations

import pytest

from app.demo.loader import DEMO_PASSWORD
from app.extensions import limiter
from tests import factories
from tests.conftest import log_in
from tests.sweeps import demo_values, url_of

HOSTILE_PAGES = ["abc", "", "0", "-3", "2.5", "1e3", str(2**70), "9" * 5000, "\x00", "٣"]
NOT_VISITED = {"accounts.logout", "static"}


def test_every_page_takes_any_page_argument_without_a_server_error(app, demo, owner):
    """Generated from the URL map: every page, as the city's admin (the region's pages as
    its coordinator), with each hostile `page=`."""
    limiter.reset()
    people = {}
    for who, email in (
        ("admin", "admin@leszno.demo"),
        ("coordinator", "koordynator@wielkopolska.demo"),
    ):
        people[who] = app.test_client()
        log_in(people[who], email, DEMO_PASSWORD)
    values = {"region_slug": "wielkopolskie", **demo_values(owner)}
    failures, visited = [], 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_VISITED:
            continue
        if rule.arguments - {"tenant_slug"} - {name for name, v in values.items() if v}:
            continue
        client = people["coordinator" if "region_slug" in rule.arguments else "admin"]
        url = url_of(rule, values)
        for page in HOSTILE_PAGES:
            status = client.get(url, query_string={"page": page}).status_code
            visited += 1
            if status >= 500:
                failures.append(f"GET {url}?page={page[:20]!r} → {status}")
    assert not failures, "\n".join(failures)
    assert visited > 500, visited


@pytest.fixture
def register(tenants):
    for number in range(5):
        factories.registration(tenants["leszno"], factories.organisation(f"Fundacja nr {number}"))


def names_on(client, query: str) -> list[str]:
    page = client.get(f"/leszno/organisations?page_size=2&{query}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    return [f"Fundacja nr {n}" for n in range(5) if f"Fundacja nr {n}" in text]


@pytest.mark.parametrize("page", ["abc", "0", "-1", ""])
def test_a_page_that_is_not_a_page_number_shows_the_first(client, register, page):
    assert (
        names_on(client, f"page={page}")
        == names_on(client, "")
        == ["Fundacja nr 0", "Fundacja nr 1"]
    )


def test_the_directory_has_its_pages_and_nothing_past_the_last(client, register):
    assert names_on(client, "page=3") == ["Fundacja nr 4"]
    first = client.get("/leszno/organisations?page_size=2").get_data(as_text=True)
    assert "page=2" in first and "Strona 1 z 3" in first
    for page in ("4", str(2**70)):
        assert client.get(f"/leszno/organisations?page_size=2&page={page}").status_code == 404


def test_the_api_list_past_its_last_page_is_empty(client, register):
    response = client.get("/api/v1/tenants/leszno/organisations?page_size=2&page=9")
    assert response.status_code == 200 and response.json == []


def test_the_audit_log_pages(client, make_user, tenants, monkeypatch):
    monkeypatch.setattr("app.audit.views.PAGE_SIZE", 10)
    make_user("a.szymanska@leszno.pl", leszno="admin")
    for _ in range(25):
        factories.audit_entry(tenants["leszno"])
    log_in(client, "a.szymanska@leszno.pl")
    first = client.get("/leszno/audit?page=x").get_data(as_text=True)
    assert "Strona 1<" in first and "page=2" in first  # the log is never counted: no "of N"
    last = 1
    while f"page={last + 1}" in client.get(f"/leszno/audit?page={last}").get_data(as_text=True):
        last += 1
    assert last >= 3  # 25 entries or more, 10 a page
    assert client.get(f"/leszno/audit?page={last + 1}").status_code == 404


def test_a_rows_address_built_from_one_rule_is_url_fors(app, tenants):
    """pages.row_url builds each row's link from one rule: the same address as url_for."""
    from flask import g, url_for

    from app.pages import row_url

    with app.test_request_context("/leszno/"):
        g.tenant = tenants["leszno"]
        back = {"element": "goals", "q": "2147483647 ą&b", "page": 3}
        forward = row_url("programmes.forward_proposal", "proposal_id", **back)
        for proposal_id in (1, 42, 2_000_000_000):
            expected = url_for("programmes.forward_proposal", proposal_id=proposal_id, **back)
            assert forward(proposal_id) == expected
        entry = row_url("audit.entry", "entry_id")
        assert entry(7) == url_for("audit.entry", entry_id=7)
