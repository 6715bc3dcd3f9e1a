"""Records of a city as its office leaves them: published and draft meetings, past and
upcoming, programmes in each stage with the steps that brought them there."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from lxml import etree

from app import unit_of_work
from app.extensions import db
from app.meetings import services as meetings
from app.programmes.models import Programme, Transition
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant
from tests import factories

ATOM = "{http://www.w3.org/2005/Atom}"


def meeting(tenant: Tenant, title: str, held_on: date, published: bool = True, **values) -> int:
    with tenant_scope(tenant.id):
        record = meetings.create({"title": title, "held_on": held_on, "agenda": []})
        for name, value in values.items():  # the registration settings
            setattr(record, name, value)
        if published:
            meetings.publish(record)
        unit_of_work.commit()
        return record.id


def programme_at(tenant: Tenant, stage: str, steps: list[str], year: int = 2027, **values):
    """A programme at `stage`, with a recorded step into each of `steps`."""
    record = factories.programme(tenant, year=year, stage=stage)
    with tenant_scope(tenant.id):
        programme = db.session.get(Programme, record.id)
        for name, value in values.items():
            setattr(programme, name, value)
        for number, step in enumerate(steps):
            db.session.add(
                Transition(
                    programme_id=record.id,
                    from_stage="draft",
                    to_stage=step,
                    created_at=datetime(2026, 10, 1 + number, 9, 0),
                )
            )
        db.session.commit()
    return record


def parse_atom(response) -> etree._Element:
    """The feed, checked for what RFC 4287 requires of a feed and of each entry."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/atom+xml"
    feed = etree.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text, name
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.iter(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, (name, etree.tostring(entry))
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
    return feed


def entries(feed: etree._Element) -> dict[str, str]:
    """{entry id: entry title}"""
    return {e.findtext(f"{ATOM}id"): e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")}


def soon(days: int) -> date:
    return clock.today() + timedelta(days=days)
