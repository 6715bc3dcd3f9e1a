"""The schedule as a picture (timeline) and as an iCalendar feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from icalendar import Calendar, Event

from app.programmes.models import Milestone, Programme
from app.tenancy import clock
from app.tenancy.models import Tenant


@dataclass(frozen=True)
class Bar:
    milestone: Milestone
    left: float  # percent of the timeline's width
    width: float


@dataclass(frozen=True)
class Timeline:
    starts_on: date
    ends_on: date
    bars: list[Bar]
    months: list[tuple[float, date]]  # (left %, first day of the month)


def timeline(programme: Programme) -> Timeline | None:
    milestones = programme.milestones
    if not milestones:
        return None
    start = min(m.starts_on for m in milestones).replace(day=1)
    last = max(m.ends_on for m in milestones)
    end = (last.replace(day=1) + timedelta(days=32)).replace(day=1)  # first of next month
    total = (end - start).days

    def share(day: date) -> float:
        return round((day - start).days * 100 / total, 2)

    bars = [
        Bar(
            m,
            share(m.starts_on),
            max(share(m.ends_on + timedelta(days=1)) - share(m.starts_on), 0.8),
        )
        for m in milestones
    ]
    months, month = [], start
    while month < end:
        months.append((share(month), month))
        month = (month + timedelta(days=32)).replace(day=1)
    return Timeline(start, end, bars, months)


def ical(programme: Programme, tenant: Tenant) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Razem//programmes//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{tenant.name('pl')}: {programme.title}")
    for milestone in programme.milestones:
        event = Event()
        event.add("uid", f"milestone-{milestone.id}@{tenant.slug}.razem")
        event.add("summary", milestone.title)
        event.add("dtstart", milestone.starts_on)
        event.add("dtend", milestone.ends_on + timedelta(days=1))  # all-day: end is exclusive
        event.add("dtstamp", clock.now())
        if milestone.responsible:
            event.add("description", milestone.responsible)
        calendar.add_component(event)
    return calendar.to_ical()
