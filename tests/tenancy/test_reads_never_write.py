"""Reading never writes: every page of the URL map, opened by every kind of person with the
demo's records, leaves the database as it was. The one record a read may leave is the
audited door's note of a coordinator reading their region's cities; a public page read by
anyone else leaves nothing."""

from __future__ import annotations

from sqlalchemy import text

from tests.core.test_no_server_errors import NOT_VISITED, _values
from tests.sweeps import demo_values, difference, snapshot, url_of

COORDINATOR = "koordynator@wielkopolska.demo"


def _readers_on_record(owner) -> list[str | None]:
    with owner.connect() as connection:
        return list(
            connection.scalars(
                text(
                    "SELECT u.email FROM cross_tenant_reads r "
                    "LEFT JOIN users u ON u.id = r.user_id ORDER BY r.id"
                )
            )
        )


def test_opening_any_page_changes_nothing_but_a_coordinators_read(app, people, owner):
    demo = demo_values(owner)
    before = snapshot(owner)
    visited = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_VISITED:
            continue
        url = url_of(rule, {"region_slug": "wielkopolskie", **_values(rule, demo, hostile=False)})
        for client in people.values():
            client.get(url)
            visited += 1
    assert difference(before, snapshot(owner)) == []
    readers = _readers_on_record(owner)
    assert readers and set(readers) == {COORDINATOR}
    assert visited > 500, visited


def test_the_public_project_page_read_anonymously_leaves_no_record(client, demo, owner):
    project_id = demo_values(owner)["project_id"]
    page = client.get(f"/regions/wielkopolskie/projects/{project_id}/")
    assert page.status_code == 200
    assert _readers_on_record(owner) == []
