"""Pages of a long list (the NGO directory, the audit log): the one way to read `page=`.

The list itself is cut by Flask-SQLAlchemy's `db.paginate`, which answers 404 for a page
past the last one; the pager links are the `pager` macro (templates/macros/pager.html).
"""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.pagination import Pagination

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
        return db.session.scalar(self._query_args["counted"]) or 0


class ListPagination(Pagination):
    """A page of a list already worked out in full (`rows`): the adoption matrix computes its
    shares over every city and shows them a page at a time."""

    def _query_items(self) -> list[Any]:
        return self._query_args["rows"][self._query_offset : self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])
