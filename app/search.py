"""Words found in long texts whatever their case and diacritics, in the database itself, on
PostgreSQL and SQLite alike: „Źródło” is found by "zrodlo" (as `fold` finds it in Python)."""

from __future__ import annotations

import sqlite3

from sqlalchemy import String, event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from app.organisations.models import fold


class folded(GenericFunction):
    """The text without case or diacritics: lower(unaccent(…)) on PostgreSQL (the extension
    of migration 0002), `fold` itself on SQLite."""

    type = String()
    inherit_cache = True


@compiles(folded, "postgresql")
def _folded_on_postgresql(element, compiler, **kw) -> str:
    return f"lower(unaccent({compiler.process(element.clauses, **kw)}))"


@compiles(folded)
def _folded_elsewhere(element, compiler, **kw) -> str:
    return f"razem_fold({compiler.process(element.clauses, **kw)})"


@event.listens_for(Engine, "connect")
def _teach_sqlite_to_fold(connection, record) -> None:
    if isinstance(connection, sqlite3.Connection):
        connection.create_function("razem_fold", 1, fold, deterministic=True)


def has_word(column, word: str):
    """The column's text contains the word (already folded) anywhere."""
    return folded(column).contains(word, autoescape=True)
