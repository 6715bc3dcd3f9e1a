"""The signed-in person as each request loads them.

The first time a process meets them: whole, in one statement with their roles, the cities and
regions those name, and their facts (person_facts), and the process keeps a copy of them.
From then on: one statement of their facts and of the version of every row the copy is made
of, and the copy put back into the request's session where the version is the same (the
whole statement again where it is not). A change written by anyone holds from the person's
very next request, as when they were loaded whole on every one: a role taken away never
outlives it. What it saves is the ORM building the person's rows from a joined row, a
quarter of the CPU of a signed-in page (bench/README.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, inspect, literal_column, null, select
from sqlalchemy.orm import Mapper
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts import person_facts
from app.accounts.models import User, with_roles
from app.extensions import db
from app.kept_rows import Kept, attached, columns_of
from app.tenancy.scoping import free_of_city_rows

# The version of every row the person loads with (with_roles: theirs, their memberships and
# regional roles, the cities and regions those name), in one text: PostgreSQL's
# xmin of each (the transaction that wrote the row as it is), so a row changed, added or gone
# changes it. None in a transaction that has written: its rows keep its number through its
# later writes, so what it read in between may not be what it commits.
VERSION = literal_column(
    """CASE WHEN pg_current_xact_id_if_assigned() IS NULL THEN concat_ws('|', users.xmin,
    (SELECT string_agg(concat_ws('.', m.id, m.xmin, t.xmin, r.xmin), ',' ORDER BY m.id)
     FROM memberships AS m JOIN tenants AS t ON t.id = m.tenant_id
     LEFT JOIN regions AS r ON r.id = t.region_id WHERE m.user_id = users.id),
    (SELECT string_agg(concat_ws('.', a.id, a.xmin, r.xmin), ',' ORDER BY a.id)
     FROM regional_assignments AS a JOIN regions AS r ON r.id = a.region_id
     WHERE a.user_id = users.id)) END"""
)

# People whose copy a process keeps, the most recently signed in: a few kB each.
KEPT_PEOPLE = 2048
_kept: Kept[int, _Copy] = Kept(KEPT_PEOPLE)
_statements: dict[tuple[Any, ...], Select] = {}


@dataclass(frozen=True)
class Loaded:
    user: User
    values: Mapping[str, Any]  # by name: the person's facts, and what `extended` added


@dataclass(frozen=True)
class _Copy:
    """A person's rows as loaded: each row's mapper and columns (the person's first), and the
    relationships between them that were loaded, as (row, relationship, related rows)."""

    version: str
    rows: tuple[tuple[Mapper, dict[str, Any]], ...]
    links: tuple[tuple[int, str, int | tuple[int, ...] | None], ...]


def person(
    person_id: int, extended: Callable[[Select], Select] | None = None, **parameters: Any
) -> Loaded | None:
    """The person with their roles and their facts (remembered on them), `extended` by what a
    caller loads with them (a module's function, as it is a key) given its `parameters`; None
    if there is no such person, or nothing `extended` asks. The actor is the person."""
    arguments = {"person_id": person_id, **parameters}
    kept = _kept.get(person_id)
    if kept is None:
        row = db.session.execute(_statement(extended, whole=True), arguments).unique().first()
        return None if row is None else _with_facts(_kept_whole(row), row._asdict())
    checked = db.session.execute(_statement(extended, whole=False), arguments).first()
    if checked is None:
        return None
    if checked.version == kept.version:
        return _with_facts(_put_back(kept), checked._asdict())
    # Changed since: the person whole again, their facts as just read.
    alone = _statement(facts=False)
    row = db.session.execute(alone, {"person_id": person_id}).unique().first()
    return None if row is None else _with_facts(_kept_whole(row), checked._asdict())


def forget_everyone() -> None:
    """Nobody kept: each person's next request loads them whole (a test, in a process where
    the people of earlier tests had the same ids, counts the statements of its own)."""
    _kept.clear()


def _kept_whole(row: Row) -> User:
    """The person of a row of the whole statement, a copy of them kept where it may be."""
    if row.version is not None:
        _kept[row.User.id] = _copy(row.User, row.version)
    return row.User


def _with_facts(user: User, values: dict[str, Any]) -> Loaded:
    person_facts.remember(user, values)
    return Loaded(user, values)


def _statement(
    extended: Callable[[Select], Select] | None = None, whole: bool = True, facts: bool = True
) -> Select:
    """The person whole (with their roles) or their id only, with the version of their rows,
    their `facts` and what `extended` adds. Built once a process, not each request: a
    statement used again is compiled and keyed for SQLAlchemy's cache once, which for this
    one costs more than running it."""
    versioned = db.engine.dialect.name == "postgresql"
    key = (versioned, whole, facts, extended, *person_facts.names())
    statement = _statements.get(key)
    if statement is None:
        version = (VERSION if versioned else null()).label("version")
        statement = select(
            User if whole else User.id, version, *(person_facts.columns() if facts else ())
        )
        statement = statement.where(User.id == person_facts.PERSON_ID)
        statement = statement.options(*with_roles()) if whole else statement
        statement = extended(statement) if extended else statement
        statement = _statements[key] = free_of_city_rows(statement)
    return statement


def _copy(person: User, version: str) -> _Copy:
    rows: list[tuple[Mapper, dict[str, Any]]] = []
    links: list[tuple[int, str, int | tuple[int, ...] | None]] = []
    places: dict[int, int] = {}

    def place_of(row: object) -> int:
        if id(row) in places:
            return places[id(row)]
        state = inspect(row)
        place = places[id(row)] = len(rows)
        rows.append((state.mapper, columns_of(row)))
        for relationship in state.mapper.relationships:
            if relationship.key not in state.dict:
                continue
            related = state.dict[relationship.key]
            if isinstance(related, list):
                links.append((place, relationship.key, tuple(map(place_of, related))))
            else:
                links.append(
                    (place, relationship.key, None if related is None else place_of(related))
                )
        return place

    place_of(person)
    return _Copy(version, tuple(rows), tuple(links))


def _put_back(kept: _Copy) -> User:
    """The kept rows in the request's session, related as they were loaded (a row the session
    holds already keeps what it has loaded, as after a query)."""
    rows = [attached(mapper, columns) for mapper, columns in kept.rows]
    for place, key, related in kept.links:
        row = rows[place]
        if key not in inspect(row).dict:
            if isinstance(related, tuple):
                set_committed_value(row, key, [rows[other] for other in related])
            else:
                set_committed_value(row, key, None if related is None else rows[related])
    return rows[0]
