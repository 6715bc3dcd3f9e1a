"""Meetings as iCalendar: one meeting's .ics and a city's feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from icalendar import Calendar, Event

from app.meetings.models import Meeting
from app.tenancy.models import Tenant


def ical(meetings: list[Meeting], tenant: Tenant) -> bytes:
    zone = ZoneInfo(tenant.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//Razem//meetings//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Razem: {tenant.name('pl')}")
    for meeting in meetings:
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
        event.add("dtstamp", datetime.now(UTC))
        event.add("location", meeting.place or meeting.online_url or "")
        if meeting.online_url:
            event.add("url", meeting.online_url)
        else:
            event.add(
                "url",
                url_for(
                    "meetings.show", tenant_slug=tenant.slug, meeting_id=meeting.id, _external=True
                ),
            )
        calendar.add_component(event)
    return calendar.to_ical()
