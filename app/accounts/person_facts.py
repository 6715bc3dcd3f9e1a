"""What pages ask of the signed-in person besides their row and roles: the cities where their
organisations make them an NGO (a role source), how many of their notifications are unread
(every page's header). Features register each as a scalar subquery of the person's id; a
person signed in by their session loads with all of them in the statement that loads them
(accounts._person_with_facts), not one statement each while the page renders. They hold as the
request began, as the person's roles do (permissions.tenant_roles)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, ScalarSelect, Select, bindparam, select
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User

# A fact's subquery of the person's id: a number, or the statement's parameter PERSON_ID.
Fact = Callable[[int | ColumnElement[int]], ScalarSelect[Any]]
_facts: dict[str, Fact] = {}
_LOADED = "razem_loaded_facts"  # on the person: {name: value} as loaded with them
PERSON_ID = bindparam("person_id", type_=Integer)
_statements: dict[tuple[Any, ...], Select] = {}


def register_fact(name: str, fact: Fact) -> None:
    """Idempotent: every app created in the process registers its features' facts."""
    _facts[name] = fact


def person_with_facts(extended: Callable[[Select], Select] | None = None) -> Select:
    """The person (by PERSON_ID) with their roles and every registered fact as columns,
    `extended` by what a caller loads with them (a module's function, as it is a key).

    Built once a process, not each request: a statement used again is compiled and keyed
    for SQLAlchemy's cache once, which for this one costs more than running it."""
    from app.accounts.models import User, with_roles
    from app.tenancy.scoping import free_of_city_rows

    key = (*_facts, extended)
    statement = _statements.get(key)
    if statement is None:
        statement = (
            select(User, *(subquery(PERSON_ID).label(name) for name, subquery in _facts.items()))
            .where(User.id == PERSON_ID)
            .options(*with_roles())
        )
        statement = extended(statement) if extended else statement
        statement = _statements[key] = free_of_city_rows(statement)
    return statement


def remember(person: User, values: Mapping[str, Any]) -> None:
    setattr(person, _LOADED, {name: values[name] for name in _facts})


def fact(person: User, name: str) -> Any:
    """The fact as it came with the person, or asked now if they came without it (a bearer
    token's person, one who has just logged in)."""
    loaded = getattr(person, _LOADED, None)
    if loaded is not None:
        return loaded[name]
    return db.session.scalar(select(_facts[name](person.id)))
