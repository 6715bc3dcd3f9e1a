"""A page shorter than a full one tells the list's total without counting it: most lists of a
small city (an NGO's proposals, a meeting's places) fit on one page, and the count was a
second query on every one of them (app/pages.py)."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.tenancy.models import Tenant


@pytest.mark.parametrize(
    ("page", "per_page_of", "queries"),
    [
        (1, lambda n: n + 5, 1),  # all of it on one page
        (2, lambda n: n - 2, 1),  # the last page, short
        (1, lambda n: n - 2, 2),  # a full page: more may follow, so they are counted
        (2, lambda n: n, 2),  # past the end of a list of exactly one page
    ],
)
def test_the_total_is_counted_only_after_a_full_page(
    app_context, tenants, count_queries, page, per_page_of, queries
):
    listed = db.select(Tenant).order_by(Tenant.id)
    every = len(db.session.scalars(listed).all())
    with count_queries() as counted:
        shown = db.paginate(listed, page=page, per_page=per_page_of(every), error_out=False)
    assert shown.total == every
    assert counted.count == queries


def test_an_empty_list_is_counted_as_empty_in_one_query(app_context, count_queries):
    with count_queries() as counted:
        shown = db.paginate(db.select(Tenant).where(Tenant.id < 0), page=1, per_page=20)
    assert (shown.total, shown.pages, counted.count) == (0, 0, 1)
