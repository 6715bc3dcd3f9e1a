"""Pages of a long list (the NGO directory, the audit log): the one way to read `page=`.

The list itself is cut by `db.paginate` (Flask-SQLAlchemy's, which answers 404 for a page
past the last one, counting the list only after a full page); a list that only grows and is
read newest first (the audit log) is cut by UncountedPagination, which never counts it. The
pager links are the `pager` macro (templates/macros/pager.html).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for
from flask_sqlalchemy import pagination
from flask_sqlalchemy.pagination import Pagination

from app import DATABASE_INTEGER_MAX
from app.extensions import db

# Far past any real list, and small enough that page × page size stays a valid offset.
LAST_PAGE_ASKED = 1_000_000


def page_number(value: object) -> int:
    """The page asked for; 1 for anything that is not a page number."""
    try:
        page = int(str(value))
    except ValueError:
        return 1
    return min(max(page, 1), LAST_PAGE_ASKED)


def _total_of_a_short_page(page: Pagination) -> int | None:
    """A page shorter than a full one ends the list: its total is the rows before the page
    and on it. Counted only after a full page: most lists of a small city (an NGO's
    proposals, a meeting's places) fit on one page, which a count made two queries."""
    if 0 < len(page.items) < page.per_page or (page.page == 1 and not page.items):
        return page._query_offset + len(page.items)
    return None


class SelectPagination(pagination.SelectPagination):
    """What `db.paginate` answers (extensions.Database)."""

    def _query_count(self) -> int:
        total = _total_of_a_short_page(self)
        return super()._query_count() if total is None else total


class KeysFirstPagination(Pagination):
    """A page of a long sorted list found in two steps: the sort and OFFSET run over a
    narrow select of the rows' keys (`keys`), then only that page's rows are loaded whole
    (`rows`, completed with `key IN (...)`); the total is its own narrow select (`counted`),
    which need not join what only the sort or the filters read."""

    def _query_items(self) -> list[Any]:
        args = self._query_args
        page = args["keys"].limit(self.per_page).offset(self._query_offset)
        keys = list(db.session.scalars(page))
        if not keys:
            return []
        loaded = db.session.scalars(args["rows"].where(args["key"].in_(keys))).unique()
        by_key = {getattr(row, args["key"].key): row for row in loaded}
        return [by_key[key] for key in keys]

    def _query_count(self) -> int:
        total = _total_of_a_short_page(self)
        return (db.session.scalar(self._query_args["counted"]) or 0) if total is None else total


class ListPagination(Pagination):
    """A page of a list already worked out in full (`rows`): the adoption matrix computes its
    shares over every city and shows them a page at a time."""

    def _query_items(self) -> list[Any]:
        return self._query_args["rows"][self._query_offset : self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


class UncountedPagination(Pagination):
    """A page of a list too long to count on every page (`select`, sorted): one row past the
    page tells whether another follows, and there is no total, so a page costs one query
    however long the list grows. The pager then names the page without "of N". Its items are
    the rows of `select` (the columns a page shows, not whole records). With `seek=True` the
    select already starts where the page does (a keyset: "older than the last row shown"),
    so a deep page skips no rows with OFFSET; `page` then only names it."""

    def __init__(self, **kwargs: Any) -> None:
        self._more = False
        super().__init__(count=False, **kwargs)

    def _query_items(self) -> list[Any]:
        page = self._query_args["select"].limit(self.per_page + 1)
        if not self._query_args.get("seek"):
            page = page.offset(self._query_offset)
        rows = db.session.execute(page).all()
        self._more = len(rows) > self.per_page
        return rows[: self.per_page]

    @property
    def has_next(self) -> bool:
        return self._more


def row_url(endpoint: str, key: str, **values: Any) -> Callable[[int], str]:
    """url_for(endpoint, key=row id, **values) for every row of a page, the rule built once:
    with a stand-in id whose place each row's id then takes (a url_for per row was a tenth of
    the time of a page of 50 proposals with two forms each)."""
    stand_in = str(DATABASE_INTEGER_MAX)
    url = url_for(endpoint, **{**values, key: DATABASE_INTEGER_MAX})
    path, mark, query = url.partition("?")
    if path.count(stand_in) != 1:
        raise ValueError(f"{endpoint}: the id's place in {path} is not one")
    before, _, after = path.partition(stand_in)
    return lambda row_id: f"{before}{int(row_id)}{after}{mark}{query}"
