"""Meetings as iCalendar: one meeting's .ics and a city's feed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from icalendar import Calendar, Event

from app.mail import Attachment
from app.meetings.models import Meeting
from app.tenancy import clock
from app.tenancy.models import Tenant


def ical(meetings: list[Meeting], tenant: Tenant) -> bytes:
    calendar = _calendar(tenant)
    for meeting in meetings:
        calendar.add_component(_event(meeting, tenant))
    return calendar.to_ical()


def invitation(meeting: Meeting, tenant: Tenant) -> Attachment:
    """The meeting as an .ics for the registrant's e-mail; its UID is the feed's, so a
    calendar keeps one entry however many e-mails bring it."""
    calendar = _calendar(tenant)
    calendar.add("method", "PUBLISH")
    calendar.add_component(_event(meeting, tenant))
    calendar.add_missing_timezones()
    return Attachment(f"meeting-{meeting.id}.ics", "text/calendar", calendar.to_ical().decode())


def _calendar(tenant: Tenant) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Razem//meetings//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Razem: {tenant.name('pl')}")
    return calendar


def _event(meeting: Meeting, tenant: Tenant) -> Event:
    zone = ZoneInfo(tenant.timezone)
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{tenant.slug}.razem")
    event.add("summary", meeting.title)
    if meeting.starts_at:
        start = datetime.combine(meeting.held_on, meeting.starts_at, zone)
        end = (
            datetime.combine(meeting.held_on, meeting.ends_at, zone)
            if meeting.ends_at
            else start + timedelta(hours=2)
        )
        event.add("dtstart", start)
        event.add("dtend", end)
    else:
        event.add("dtstart", meeting.held_on)
        event.add("dtend", meeting.held_on + timedelta(days=1))
    event.add("dtstamp", clock.now())
    event.add("location", meeting.place or meeting.online_url or "")
    if meeting.online_url:
        event.add("url", meeting.online_url)
    else:
        page = url_for(
            "meetings.show", tenant_slug=tenant.slug, meeting_id=meeting.id, _external=True
        )
        event.add("url", page)
    return event
