"""Lookups every page or every login makes read only the rows they find, by an index, however
many rows the table holds: the statements the application sends are explained as sent, with
sequential scans off, as the planner chooses at a real table's size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, update

from app.accounts import person_facts
from app.accounts.services import find_user
from app.core import home
from app.extensions import db
from app.meetings.models import Meeting
from app.notifications.models import Notification
from app.notifications.services import UNREAD
from app.tenancy import clock
from app.tenancy.context import acting_as, tenant_scope
from tests import factories
from tests.notifications.test_header import _told


@contextmanager
def plans_of(table: str) -> Iterator[list[dict]]:
    """The plans of the SELECTs reading `table` sent while inside, explained as they run."""
    plans: list[dict] = []
    engine = db.engine

    def explain(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("SELECT") and f"FROM {table}" in statement:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters)
            plans.append(cursor.fetchone()[0][0]["Plan"])

    event.listen(engine, "before_cursor_execute", explain)
    try:
        yield plans
    finally:
        event.remove(engine, "before_cursor_execute", explain)


def _nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _indexes_read(plan: dict, table: str) -> set[str | None]:
    """The indexes by which `table` is read (None for a scan of the whole table), the rows
    each scan finds all kept: an index of other columns would leave many behind."""
    indexes: set[str | None] = set()
    for node in _nodes(plan):
        if node.get("Relation Name") != table:
            continue
        assert not node.get("Rows Removed by Filter"), node.get("Index Name")
        if node["Node Type"] == "Bitmap Heap Scan":  # by the indexes under it
            indexes |= {under["Index Name"] for under in _nodes(node) if "Index Name" in under}
        else:
            indexes.add(node.get("Index Name"))
    return indexes


def test_the_headers_unread_count_reads_only_the_unread(make_user):
    echo = make_user("h.hendrysiak@echo.org.pl", locale="pl")
    _told(echo, [f"Odpowiedź na Twoją propozycję nr {n}" for n in range(1, 61)])
    with acting_as(echo.id):
        db.session.execute(update(Notification).values(read_at=clock.now()))
        db.session.commit()
    _told(echo, ["Rozpoczęły się konsultacje programu współpracy na 2027 r."])

    with acting_as(echo.id), plans_of("notifications") as plans:
        assert person_facts.fact(echo, UNREAD) == 1
        db.session.rollback()
    (plan,) = plans
    assert _indexes_read(plan, "notifications") == {"ix_notifications_unread"}


def test_a_login_finds_the_person_by_their_address_in_any_case(make_user):
    for n in range(40):
        make_user(f"osoba{n}@leszno.pl")
    make_user("h.hendrysiak@echo.org.pl")

    with plans_of("users") as plans:
        assert find_user(" H.Hendrysiak@Echo.org.PL ").email == "h.hendrysiak@echo.org.pl"
        db.session.rollback()
    (plan,) = plans
    assert _indexes_read(plan, "users") == {"ix_users_lower_email"}


def test_a_citys_meetings_still_to_come_are_read_by_their_city_and_day(tenants):
    leszno, kalisz = tenants["leszno"], tenants["kalisz"]
    for _ in range(12):  # 13.07.2023: the minutes of the past
        factories.meeting(leszno)
    factories.meeting(kalisz)
    coming = factories.meeting(leszno)
    with tenant_scope(leszno.id):
        db.session.get(Meeting, coming).held_on = clock.today() + timedelta(days=9)
        db.session.commit()

    with tenant_scope(leszno.id), plans_of("meetings") as plans:
        upcoming = [found.meeting.id for found in home.upcoming_meetings(clock.today())]
        db.session.rollback()
    assert upcoming == [coming]
    (plan,) = plans
    assert _indexes_read(plan, "meetings") == {"ix_meetings_tenant_id_held_on"}
