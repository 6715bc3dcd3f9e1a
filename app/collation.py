"""Names in Polish alphabetical order — Aleksandrów, Kępno, Kórnik, Lubin, Łomża, Łódź, Śrem,
Ząbki, Żary — wherever a list is ordered for people, whatever the interface's language (the
names are Polish), and the same in the database and in Python.

The order is ICU's Polish collation with punctuation and spaces ignorable (`ka-shifted`): a
name is filed by its letters, so Fundacja Edukacyjna „Comenius” comes before Fundacja
„Wielkopolska Akademia Seniora”, whatever the opening quote. Names that differ only in
punctuation are then told apart by it (`ks-level4`), so that every sort agrees on one order.
PostgreSQL knows it as the collation `polish` (migration 0050); PyICU's collator, made from the
same locale, sorts in Python and, registered under that name, orders SQLite's ORDER BY."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

import icu
from jinja2 import Environment, pass_environment
from jinja2.filters import make_attrgetter
from sqlalchemy import collate, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

POLISH = "polish"
POLISH_LOCALE = "pl-u-ka-shifted-ks-level4"  # as migration 0050 creates the collation

_collator = icu.Collator.createInstance(icu.Locale.forLanguageTag(POLISH_LOCALE))


def polish_key(text: str) -> bytes:
    """The sort key of a name in Polish order: sorted(cities, key=lambda c: polish_key(…))."""
    return _collator.getSortKey(text)


def in_polish_order(
    expression: ColumnElement[str] | QueryableAttribute[str],
) -> ColumnElement[str]:
    """The expression compared in Polish order, for ORDER BY."""
    return collate(expression, POLISH)


@pass_environment
def polish_sort(environment: Environment, items: Iterable[Any], attribute: str) -> list[Any]:
    """Jinja's `sort` in Polish order: {{ registrations|polish_sort("tenant.names.pl") }}."""
    name_of = make_attrgetter(environment, attribute)
    return sorted(items, key=lambda item: polish_key(name_of(item)))


@event.listens_for(Engine, "connect")
def _teach_sqlite_polish_order(connection, record) -> None:
    if isinstance(connection, sqlite3.Connection):
        connection.create_collation(POLISH, _collator.compare)
