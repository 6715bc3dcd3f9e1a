"""The demo of `make run` has something to take part in on the day it is loaded, whatever
that day is: a programme collecting proposals (in a city where the demo NGO is active), a
consultation open, an event ahead with places left."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest
from sqlalchemy import select

from app.demo.loader import DEMO_PASSWORD, load
from app.extensions import db
from app.meetings import registration
from app.meetings.models import Meeting
from app.programmes.catalogue import Stage
from app.programmes.models import Programme
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant
from tests.conftest import log_in


@pytest.fixture(params=["2026-11-30", "2027-06-15"])
def loaded_on(request, app_context, monkeypatch):
    day = datetime.fromisoformat(request.param).replace(hour=11, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: day)
    load()
    db.session.commit()
    return day.date()


def _in(slug: str, query):
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    with tenant_scope(tenant.id):
        return db.session.scalars(query).all()


def test_an_ngo_of_the_demo_can_send_a_proposal_today(app, loaded_on):
    [collecting] = _in("kalisz", select(Programme).where(Programme.stage == Stage.PROPOSALS_OPEN))
    client = app.test_client()
    log_in(client, "ngo@echo.demo", DEMO_PASSWORD)

    page = client.get(f"/kalisz/programmes/{collecting.id}/proposals/new")

    assert page.status_code == 200
    form = lxml.html.fromstring(page.text).xpath("//main//form[@method='post']")
    assert form and not form[0].xpath(".//*[@disabled and @type='submit']")


def test_a_consultation_is_open_today(app, loaded_on):
    [open_now] = _in("leszno", select(Programme).where(Programme.stage == Stage.CONSULTATION))
    assert open_now.consultation_from < loaded_on < open_now.consultation_to


def test_an_event_ahead_has_places_left(app, loaded_on):
    [ahead] = _in("leszno", select(Meeting).where(Meeting.held_on > loaded_on))
    with tenant_scope(ahead.tenant_id):
        assert registration.is_open(ahead)
        assert registration.counts(ahead)["confirmed"] < ahead.capacity

    page = app.test_client().get(f"/leszno/meetings/{ahead.id}")

    assert lxml.html.fromstring(page.text).xpath("//form[contains(@action, '/register')]")
