"""Pages do a constant number of queries whatever the amount of data."""

from __future__ import annotations

from tests import factories
from tests.conftest import log_in


def _queries_for(client, count_queries, path: str) -> int:
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_members_and_audit_pages_do_not_grow_with_the_data(
    client, make_user, tenants, count_queries
):
    make_user("a.szymanska@leszno.pl", leszno="admin", kalisz="staff")
    log_in(client, "a.szymanska@leszno.pl")
    paths = ["/leszno/members", "/leszno/audit", "/leszno/", "/my-cities"]
    for _ in range(3):
        factories.membership(tenants["leszno"], factories.unique_email())
        factories.invitation(tenants["leszno"])
    small = {path: _queries_for(client, count_queries, path) for path in paths}
    for _ in range(30):
        factories.membership(tenants["leszno"], factories.unique_email())
        factories.invitation(tenants["leszno"])
    large = {path: _queries_for(client, count_queries, path) for path in paths}
    assert large == small
    assert max(small.values()) <= 12
