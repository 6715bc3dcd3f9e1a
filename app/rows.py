"""Repeating rows of a form (agenda items, principles, people…): the one way to read the
filled ones and to offer empty ones."""

from __future__ import annotations

from wtforms import FieldList, Form


def filled(rows: FieldList, field: str) -> list[Form]:
    """The rows whose `field` has text; empty rows are ignored."""
    return [row.form for row in rows if (getattr(row.form, field).data or "").strip()]


def offer_empty(*row_lists: FieldList, count: int = 2) -> None:
    """Empty rows under the filled ones, for adding without any script."""
    for rows in row_lists:
        for _ in range(count):
            rows.append_entry()
