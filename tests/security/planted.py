"""Marker strings planted in every private field of Leszno's demo records, and who may read
each: read from the access policies' declarations, written as the tables' owner."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import text

from app.meetings.access import STAFF_ONLY_FIELDS as MEETING_STAFF_ONLY
from app.organisations.access import STAFF_ONLY_FIELDS as REGISTRATION_STAFF_ONLY

CITY_STAFF = frozenset({"staff", "admin"})
CITY_ADMIN = frozenset({"admin"})


@dataclass(frozen=True)
class Field:
    """A private field: where its marker goes and who of PEOPLE may read it."""

    name: str
    readers: frozenset[str]
    plant: str  # SQL with :marker and :city

    @property
    def marker(self) -> str:
        # letters only, so no escaping or formatting can change it on the way out
        return f"zqmarker{self.name.replace('_', '').replace('.', '')}qz"


def _registration(column: str) -> str:
    return f"UPDATE registrations SET {column} = :marker WHERE tenant_id = :city"


# The city's registration of an organisation: STAFF_ONLY_FIELDS of organisations/access.py.
REGISTRATION_PLANTS = {
    "contact_name": _registration("contact_name"),
    "contact_email": "UPDATE registrations SET contact_email = :marker || '@marker.example' "
    "WHERE tenant_id = :city",
    "contact_phone": _registration("contact_phone"),
    "notes": "INSERT INTO registration_notes (tenant_id, registration_id, notes) "
    "SELECT tenant_id, id, :marker FROM registrations WHERE tenant_id = :city "
    "ON CONFLICT (registration_id) DO UPDATE SET notes = excluded.notes",
    "tags": "INSERT INTO registration_tags (tenant_id, registration_id, tag) "
    "SELECT tenant_id, id, :marker FROM registrations WHERE tenant_id = :city",
}
# A meeting's private record: STAFF_ONLY_FIELDS of meetings/access.py, and who registered
# for the city's events (read by those who manage the meeting).
MEETING_PLANTS = {
    "attendees": "UPDATE meeting_attendees SET name = :marker WHERE tenant_id = :city",
    "responsible_email": "UPDATE meeting_decisions SET responsible_email = "
    ":marker || '@marker.example' WHERE tenant_id = :city",
}
EVENT_PLANTS = {
    "event_registrations.name": "UPDATE event_registrations SET name = :marker "
    "WHERE tenant_id = :city",
    "event_registrations.email": "UPDATE event_registrations SET email = "
    ":marker || '@marker.example' WHERE tenant_id = :city",
}
# Drafts (a meeting and a programme the city has not published) and the audit log (the
# city's admins only) are copies of a demo record with the marker in their text.
DRAFT_PLANTS = {
    "draft_meeting.title": "meetings",
    "draft_programme.title": "programmes",
}


def private_fields() -> list[Field]:
    assert set(REGISTRATION_PLANTS) == REGISTRATION_STAFF_ONLY
    assert set(MEETING_PLANTS) == MEETING_STAFF_ONLY
    return [
        *(Field(name, CITY_STAFF, sql) for name, sql in REGISTRATION_PLANTS.items()),
        *(Field(name, CITY_STAFF, sql) for name, sql in MEETING_PLANTS.items()),
        *(Field(name, CITY_STAFF, sql) for name, sql in EVENT_PLANTS.items()),
        *(Field(name, CITY_STAFF, "") for name in DRAFT_PLANTS),
        Field("audit_log.changes", CITY_ADMIN, ""),
    ]


def plant(engine, fields: list[Field]) -> dict[str, int]:
    """Writes every marker into Leszno's records; returns the ids of the planted records
    each URL parameter can name."""
    by_name = {field.name: field for field in fields}
    with engine.begin() as connection:
        city = connection.scalar(text("SELECT id FROM tenants WHERE slug = 'leszno'"))
        event = an_event_with_people(connection, city)
        for field in fields:
            if field.plant:
                connection.execute(text(field.plant), {"marker": field.marker, "city": city})
        meeting = _copy(
            connection,
            "meetings",
            city,
            status="draft",
            title=by_name["draft_meeting.title"].marker,
            published_at=None,
        )
        programme = _copy(
            connection,
            "programmes",
            city,
            stage="draft",
            title=by_name["draft_programme.title"].marker,
            year_from=2040,
            year_to=2040,
        )
        entry = _copy(
            connection,
            "audit_log",
            city,
            changes=f'{{"notes": "{by_name["audit_log.changes"].marker}"}}',
        )
    return {"meeting_id": meeting, "programme_id": programme, "entry_id": entry, "event": event}


def an_event_with_people(connection, city: int) -> int:
    """A published open meeting with a signed attendance list and a registrant (the demo's
    Leszno has neither), for the plants above to write over."""
    event = _copy(connection, "meetings", city, status="published", registration_open=True)
    given = {"city": city, "event": event}
    connection.execute(
        text(
            "INSERT INTO meeting_attendees (tenant_id, meeting_id, position, name, organisation,"
            " official) VALUES (:city, :event, 1, 'x', '', false)"
        ),
        given,
    )
    connection.execute(
        text(
            "INSERT INTO event_registrations (tenant_id, meeting_id, name, email, organisation,"
            " answers, status, cancel_token_hash, reminded) VALUES (:city, :event, 'x',"
            " 'x@example.pl', '', '[]', 'confirmed', md5('planted'), false)"
        ),
        given,
    )
    return event


def _copy(connection, table: str, city: int, **changes) -> int:
    """A copy of the city's first row of the table, with `changes`; its id."""
    row = (
        connection.execute(
            text(f"SELECT * FROM {table} WHERE tenant_id = :city ORDER BY id LIMIT 1"),
            {"city": city},
        )
        .mappings()
        .one()
    )
    values = {name: _sql(value) for name, value in row.items() if name != "id"}
    values.update({name: value for name, value in changes.items() if name in row})
    columns = ", ".join(values)
    placeholders = ", ".join(f":{name}" for name in values)
    return connection.scalar(
        text(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING id"), values
    )


def _sql(value):
    return json.dumps(value) if isinstance(value, dict | list) else value
