"""The meeting people register for in the registration tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.meetings.models import Meeting
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories


def next_month() -> date:
    """A month from the application's today (clock.today), the day a meeting ahead is held."""
    return clock.today() + timedelta(days=30)


@pytest.fixture
def study_visit(tenants):
    """The Gdańsk–Sopot study visit of seed 001: online, two places, one question."""
    meeting_id = factories.meeting(tenants["zyrardow"])
    with tenant_scope(tenants["zyrardow"].id):
        meeting = db.session.get(Meeting, meeting_id)
        meeting.title = "Wizyta studyjna online: dobre praktyki z Gdańska i Sopotu"
        meeting.held_on = next_month()
        meeting.online_url = "https://spotkanie.example.org/wizyta"
        meeting.registration_open, meeting.capacity = True, 2
        meeting.registration_deadline = meeting.held_on - timedelta(days=3)
        meeting.questions = ["Jaką organizację lub instytucję Pan/Pani reprezentuje?"]
        db.session.commit()
    return meeting_id
