"""Pages of a long list (the NGO directory, the audit log): the one way to read `page=`.

The list itself is cut by Flask-SQLAlchemy's `db.paginate`, which answers 404 for a page
past the last one; the pager links are the `pager` macro (templates/macros/pager.html).
"""

from __future__ import annotations

# Far past any real list, and small enough that page × page size stays a valid offset.
LAST_PAGE_ASKED = 1_000_000


def page_number(value: object) -> int:
    """The page asked for; 1 for anything that is not a page number."""
    try:
        page = int(str(value))
    except ValueError:
        return 1
    return min(max(page, 1), LAST_PAGE_ASKED)
