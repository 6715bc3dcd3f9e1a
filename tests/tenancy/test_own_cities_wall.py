"""An NGO's home reads its person's cities at once (cross_tenant.reading_own_cities), and the
database, not only the ORM, keeps that read to the cities where the person acts for an
organisation, to the tables the home reads, and to reading: raw SQL as the application's role
sees nothing of another city, nor of a city where the organisation only asked to register."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.accounts.models import User
from app.extensions import db
from app.meetings.models import Meeting
from app.organisations.models import OrganisationMember
from app.tenancy.context import acting_as, tenant_scope
from app.tenancy.cross_tenant import reading_own_cities
from app.tenancy.rls import OWN_CITIES_TABLES
from tests import factories


@pytest.fixture
def hanna(app_context, tenants) -> User:
    """Hanna acts for ECHO, active in Leszno and Kalisz and waiting for Konin's answer; each
    of the four cities (Piła too) has a published meeting and a programme."""
    person = User(email="h.hendrysiak@echo.org.pl", name="Hanna Hendrysiak")
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    db.session.add_all([person, OrganisationMember(organisation=echo, user=person)])
    db.session.commit()
    for slug in ("leszno", "kalisz"):
        factories.registration(tenants[slug], echo)
    factories.registration(tenants["konin"], echo, status="requested")
    for slug in ("leszno", "kalisz", "konin", "pila"):
        factories.meeting(tenants[slug])
        factories.programme(tenants[slug], year=2027)
    return person


def _ids(*slugs: str, tenants) -> tuple[int, ...]:
    return tuple(sorted(tenants[slug].id for slug in slugs))


def _raw_tenants(table: str) -> list[int]:
    statement = f"SELECT DISTINCT tenant_id FROM {table} ORDER BY tenant_id"
    return list(db.session.scalars(text(statement)))


def test_raw_sql_reads_only_the_cities_where_the_person_acts(hanna, tenants):
    asked = _ids("leszno", "kalisz", "konin", "pila", tenants=tenants)
    with acting_as(hanna.id), reading_own_cities(asked):
        meetings = _raw_tenants("meetings")
        programmes = _raw_tenants("programmes")
        orm = sorted(set(db.session.scalars(select(Meeting.tenant_id))))
    db.session.rollback()

    assert meetings == programmes == list(_ids("leszno", "kalisz", tenants=tenants))
    assert orm == meetings


def test_without_the_person_or_outside_the_read_nothing_shows(hanna, tenants):
    asked = _ids("leszno", "kalisz", tenants=tenants)
    with reading_own_cities(asked):  # nobody acting
        nobody = _raw_tenants("meetings")
    with acting_as(hanna.id):  # the person, not reading their cities
        outside = _raw_tenants("meetings")
    db.session.rollback()

    assert nobody == [] and outside == []


def test_only_the_tables_of_the_home_and_only_for_reading(hanna, tenants):
    asked = _ids("leszno", "kalisz", tenants=tenants)
    with acting_as(hanna.id), reading_own_cities(asked):
        agenda = _raw_tenants("meeting_agenda_items")  # not read by the home: still walled
        changed = db.session.execute(text("UPDATE meetings SET title = 'Zmieniono'")).rowcount
    db.session.rollback()
    with tenant_scope(tenants["leszno"].id):
        titles = set(db.session.scalars(select(Meeting.title)))
    db.session.rollback()

    assert agenda == [] and changed == 0
    assert titles == {"Spotkanie z organizacjami pozarządowymi"}


def test_the_wall_stands_on_every_table_the_home_reads(app_context):
    rows = db.session.execute(
        text(
            "SELECT tablename, cmd FROM pg_policies "
            "WHERE policyname = 'own_cities_read' ORDER BY tablename"
        )
    ).all()
    assert rows == [(table, "SELECT") for table in sorted(OWN_CITIES_TABLES)]
