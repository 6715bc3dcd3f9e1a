"""Repeating rows of a form (agenda items, principles, people…): the one way to show a
record's rows in a form, to read them back, and to save them onto the record.

A row carries the id of the record it shows, so saving updates that record in place, adds
the rows without an id and removes the records whose row is gone: an unchanged save writes
nothing, and no row is ever doubled, dropped or paired with another record's values."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from wtforms import FieldList, Form, FormField, HiddenField
from wtforms.utils import unset_value

from app.core.edge import record_id
from app.extensions import db

Child = TypeVar("Child")


class Rows(FieldList):
    """Rows of `row` forms, each with the hidden id of its record. Shown from a record they
    hold its rows and `empty` blank ones (to add without any script); submitted they hold
    exactly the posted rows, never falling back to, or pairing with, the saved ones."""

    def __init__(self, row: type[Form], key: str, empty: int = 2, **kwargs: Any) -> None:
        keyed = type(row.__name__, (row,), {"id": HiddenField()})
        super().__init__(FormField(keyed), **kwargs)
        self.key = key
        self.empty = empty

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        if formdata:
            super().process(formdata, (), extra_filters)
            return
        super().process(None, data, extra_filters)
        for _ in range(self.empty):
            self.append_entry()

    def fill(self, records: Iterable[Any]) -> None:
        """Show these records (objects or dicts), replacing whatever the rows held."""
        self.process(None, list(records))

    def values(self) -> list[dict[str, Any]]:
        """The filled rows (those whose key field has text), text trimmed, `id` an int or
        None for a new row."""
        return [
            {
                **{name: _trimmed(value) for name, value in entry.data.items()},
                "id": record_id(entry.data["id"]),
            }
            for entry in self.entries
            if _trimmed(entry.data[self.key])
        ]


def _trimmed(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def replace(
    children: Sequence[Child], rows: Sequence[dict[str, Any]], make: Callable[[], Child]
) -> list[Child]:
    """The children the rows describe, in their order: a row with the id of a child updates
    it (writing only the values that differ), a row without one makes a new child; children
    without a row are left out, so the relationship's delete-orphan removes them. Assign
    the result to the relationship."""
    existing = {getattr(child, "id", None): child for child in children}
    kept = []
    for position, row in enumerate(rows):
        child = existing.pop(row.get("id"), None) if row.get("id") else None
        child = child if child is not None else make()
        values = {name: value for name, value in row.items() if name != "id"}
        if hasattr(child, "position"):
            values["position"] = position
        for name, value in values.items():
            if getattr(child, name, None) != value:
                setattr(child, name, value)
        kept.append(child)
    return kept


def by_position(children: Sequence[Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows without an identity of their own (the lines of a text) take the ids of the
    children at their positions, so unchanged lines stay the same records."""
    return [
        {**row, "id": children[i].id if i < len(children) else None} for i, row in enumerate(rows)
    ]


def changes_pending() -> bool:
    """Whether the session would write anything: an unchanged save moves no version."""
    session = db.session
    return bool(session.new or session.deleted) or any(
        session.is_modified(record) for record in session.dirty
    )
