"""What pages ask of the signed-in person besides their row and roles: the cities where their
organisations make them an NGO (a role source), how many of their notifications are unread
(every page's header). Features register each as a scalar subquery of the person's id; a
person signed in by their session loads with all of them in the statement that loads them
(accounts/loading.py), not one statement each while the page renders. They hold as the
request began, as the person's roles do (permissions.tenant_roles)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, ScalarSelect, bindparam, select
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User

# A fact's subquery of the person's id: a number, or the statement's parameter PERSON_ID.
Fact = Callable[[int | ColumnElement[int]], ScalarSelect[Any]]
_facts: dict[str, Fact] = {}
_LOADED = "razem_loaded_facts"  # on the person: {name: value} as loaded with them
PERSON_ID = bindparam("person_id", type_=Integer)


def register_fact(name: str, fact: Fact) -> None:
    """Idempotent: every app created in the process registers its features' facts."""
    _facts[name] = fact


def columns() -> list[ColumnElement[Any]]:
    """Every registered fact of the person (PERSON_ID), labelled by its name, as a statement's
    columns."""
    return [subquery(PERSON_ID).label(name) for name, subquery in _facts.items()]


def names() -> tuple[str, ...]:
    return tuple(_facts)


def remember(person: User, values: Mapping[str, Any]) -> None:
    setattr(person, _LOADED, {name: values[name] for name in _facts})


def fact(person: User, name: str) -> Any:
    """The fact as it came with the person, or asked now if they came without it (a bearer
    token's person, one who has just logged in)."""
    loaded = getattr(person, _LOADED, None)
    if loaded is not None:
        return loaded[name]
    return db.session.scalar(select(_facts[name](person.id)))
