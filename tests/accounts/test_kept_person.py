"""A signed-in person is loaded whole once a process and from then on only checked
(accounts/loading.py): whatever changes them, written by anyone (a role given or taken, the
session ended, the account closed, a token revoked), holds from their very next request, as
when they were loaded whole on every one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, inspect, text

from app.accounts import loading
from app.accounts.models import Membership, RegionalAssignment, User
from app.extensions import db
from app.tenancy.context import set_actor
from tests.accounts.test_session_security import api_me, api_token
from tests.conftest import log_in

EMAIL = "a.szymanska@leszno.pl"
AS_ADMIN_OF_KALISZ = "SELECT id, (SELECT id FROM tenants WHERE slug = 'kalisz'), 'admin' FROM users"

# What another person or process writes → a page of the person's, as it answered before the
# change and as it must answer at their next request.
CHANGES = {
    "demoted": ("UPDATE memberships SET role = 'staff'", "/leszno/members", 200, 403),
    "removed from the city": ("DELETE FROM memberships", "/leszno/members", 200, 403),
    "made an administrator elsewhere": (
        f"INSERT INTO memberships (user_id, tenant_id, role) {AS_ADMIN_OF_KALISZ}",
        "/kalisz/members",
        403,
        200,
    ),
    "no longer a coordinator": (
        "DELETE FROM regional_assignments",
        "/regions/wielkopolskie/projects/new",
        200,
        403,
    ),
    "session ended": (
        "UPDATE users SET session_generation = session_generation + 1",
        "/account",
        200,
        302,
    ),
    "account closed": ("UPDATE users SET active = false", "/account", 200, 302),
}


@contextmanager
def rows_loaded() -> Iterator[list[object]]:
    """The person's rows the ORM builds from the database's rows while the block runs."""
    loaded: list[object] = []

    def note(instance, context) -> None:
        loaded.append(instance)

    models = (User, Membership, RegionalAssignment)
    for model in models:
        event.listen(model, "load", note)
    try:
        yield loaded
    finally:
        for model in models:
            event.remove(model, "load", note)


def test_a_person_is_loaded_whole_once_and_then_only_checked(client, make_user):
    make_user(EMAIL, leszno="admin", coordinator_of="wielkopolskie")
    log_in(client, EMAIL)
    with rows_loaded() as first:
        assert client.get("/leszno/members").status_code == 200
    with rows_loaded() as then:
        page = client.get("/leszno/members")

    assert page.status_code == 200
    assert EMAIL in page.get_data(as_text=True)
    assert {type(row) for row in first} >= {User, Membership, RegionalAssignment}
    assert [row for row in then if type(row) in (User, Membership, RegionalAssignment)] == []


def test_a_tokens_owner_is_found_and_loaded_whole_once(client, make_user, count_queries):
    make_user(EMAIL, leszno="admin")
    token = api_token(client)
    assert api_me(client, token).status_code == 200
    with rows_loaded() as loaded, count_queries() as counter:
        me = api_me(client, token)

    assert me.status_code == 200 and me.get_json()["email"] == EMAIL
    assert loaded == []
    assert not [statement for statement in counter.statements if "token_owner" in statement]


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_by_anyone_holds_from_the_next_request(client, make_user, owner, change):
    statement, path, before, after = CHANGES[change]
    make_user(EMAIL, leszno="admin", coordinator_of="wielkopolskie")
    log_in(client, EMAIL)
    assert client.get(path).status_code == before
    assert client.get(path).status_code == before  # from the kept copy

    with owner.begin() as connection:
        connection.execute(text(statement))

    assert client.get(path).status_code == after


def test_a_revoked_or_expired_token_is_refused_at_its_next_call(app, client, make_user, owner):
    make_user(EMAIL, leszno="admin")
    revoked, expired = api_token(client), api_token(client)
    for token in (revoked, expired):
        assert api_me(client, token).status_code == 200
        assert api_me(client, token).status_code == 200

    with owner.begin() as connection:
        connection.execute(text("DELETE FROM api_tokens WHERE id = 1"))
        connection.execute(text("UPDATE api_tokens SET expires_at = now() WHERE id = 2"))

    assert api_me(client, revoked).status_code == 401
    assert api_me(client, expired).status_code == 401


def test_a_person_read_after_a_write_of_the_same_transaction_is_not_kept(app, make_user):
    """Rows written by a transaction keep its number (xmin) through its later writes too: what
    it read in between is not what it commits, so it is never taken for the person."""
    person_id = make_user(EMAIL, leszno="admin").id
    with app.test_request_context():
        set_actor(person_id)
        loading.person(person_id)  # kept
    with app.test_request_context():
        set_actor(person_id)
        db.session.execute(text("UPDATE users SET name = 'Anna'"))
        loading.person(person_id)
        db.session.execute(text("UPDATE users SET name = 'Anna Szymańska'"))
        db.session.commit()
    with app.test_request_context():
        set_actor(person_id)
        assert loading.person(person_id).user.name == "Anna Szymańska"


@pytest.mark.parametrize(
    "roles", [{"leszno": "admin", "kalisz": "staff"}, {"coordinator_of": "wielkopolskie"}]
)
def test_a_write_to_any_row_the_person_is_made_of_loads_them_whole_again(
    app, client, make_user, owner, roles
):
    """Generated from the rows a person loads with: a relationship added to their load whose
    rows the version does not read would keep a copy that no change of them reaches."""
    person_id = make_user(EMAIL, **roles).id
    log_in(client, EMAIL)
    assert client.get("/account").status_code == 200
    with app.test_request_context():
        set_actor(person_id)
        made_of = rows_of(loading.person(person_id).user)

    assert {"users", "tenants" if "leszno" in roles else "regional_assignments", "regions"} <= {
        table for table, _ in made_of
    }
    for table, row_id in made_of:
        with owner.begin() as connection:  # the row as it was, written again
            connection.execute(text(f"UPDATE {table} SET id = id WHERE id = :id"), {"id": row_id})
        with app.test_request_context(), rows_loaded() as loaded:
            set_actor(person_id)
            loading.person(person_id)
        assert loaded, f"a write to {table} {row_id} left the copy kept"


def rows_of(instance, seen: set[int] | None = None) -> set[tuple[str, int]]:
    """(table, id) of the row and of every row loaded with it, through its relationships."""
    seen = set() if seen is None else seen
    if id(instance) in seen:
        return set()
    seen.add(id(instance))
    state = inspect(instance)
    found = {(state.mapper.local_table.name, state.identity[0])}
    for relationship in state.mapper.relationships:
        value = state.dict.get(relationship.key)
        for related in value if isinstance(value, list) else [value] if value else []:
            found |= rows_of(related, seen)
    return found
