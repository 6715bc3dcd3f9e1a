"""What a city's feeds and widget show: exactly what its public pages show an anonymous
visitor, asked of the same policies (as_anonymous) and the home page's queries."""

from __future__ import annotations

from flask import g, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from app.accounts.permissions import as_anonymous, can
from app.core import home
from app.extensions import db
from app.feeds.atom import LATEST, Entry, Feed
from app.i18n import when
from app.programmes.catalogue import STAGE_LABELS, Stage
from app.programmes.models import Programme, Transition
from app.programmes.services import OpenWindow
from app.tenancy import clock

# The steps of the cycle a newsroom or the BIP is told about.
ANNOUNCED_STAGES = (Stage.PROPOSALS_OPEN, Stage.CONSULTATION, Stage.ADOPTED, Stage.REPORTED)


def _city() -> str:
    return g.tenant.name_as("office_genitive")


def _page(endpoint: str, **values) -> str:
    return url_for(endpoint, tenant_slug=g.tenant.slug, _external=True, **values)


def _feed(kind: str, title: str, page: str, entries: list[Entry]) -> Feed:
    return Feed(
        key=f"{g.tenant.slug}/{kind}",
        title=title,
        link=page,
        entries=entries,
        created=g.tenant.created_at,
    )


def minutes() -> Feed:
    with as_anonymous():
        found = [m for m in home.latest_minutes(clock.today(), LATEST) if can("view", m)]
    entries = [
        Entry(
            key=f"{g.tenant.slug}/minutes/{meeting.id}",
            title=_(
                "Minutes: %(title)s of %(day)s", title=meeting.title, day=when(meeting.held_on)
            ),
            updated=meeting.updated_at,
            published=meeting.published_at,
            link=_page("meetings.show", meeting_id=meeting.id),
        )
        for meeting in found
    ]
    title = _("Minutes of the meetings of %(city)s", city=_city())
    return _feed("minutes", title, _page("meetings.index"), entries)


def events() -> Feed:
    with as_anonymous():
        found = [u for u in home.upcoming_meetings(clock.today(), LATEST) if can("view", u.meeting)]
    entries = [
        Entry(
            key=f"{g.tenant.slug}/event/{upcoming.meeting.id}",
            title=_(
                "%(title)s, %(day)s",
                title=upcoming.meeting.title,
                day=when(upcoming.meeting.held_on),
            ),
            updated=upcoming.meeting.updated_at,
            link=_page("meetings.show", meeting_id=upcoming.meeting.id),
            summary=event_summary(upcoming),
        )
        for upcoming in found
    ]
    title = _("Upcoming meetings of %(city)s", city=_city())
    return _feed("events", title, _page("core.tenant_home"), entries)


def event_summary(upcoming: home.UpcomingMeeting) -> str:
    meeting = upcoming.meeting
    parts = [when(meeting.starts_at, "time") if meeting.starts_at else "", meeting.place]
    if upcoming.places_left is not None:
        parts.append(_("free places: %(count)s", count=upcoming.places_left))
    return ", ".join(part for part in parts if part)


def programme_stages(only: tuple[Stage, ...] = ANNOUNCED_STAGES) -> list[Entry]:
    """The programmes' steps into `only`, the newest first, of the programmes the public
    reads (a draft's steps appear once the draft is public)."""
    rows = db.session.execute(
        select(Transition, Programme)
        .join(Programme, Programme.id == Transition.programme_id)
        .where(Transition.to_stage.in_([s.value for s in only]), Programme.deleted_at.is_(None))
        .options(lazyload(Transition.user))  # who moved it is not the public's
        .order_by(Transition.created_at.desc(), Transition.id.desc())
        .limit(LATEST)
    ).all()
    with as_anonymous():
        seen = [(step, programme) for step, programme in rows if can("view", programme)]
    return [
        Entry(
            key=f"{g.tenant.slug}/programme-stage/{step.id}",
            title=_(
                "%(programme)s: %(stage)s",
                programme=programme.title,
                stage=STAGE_LABELS[Stage(step.to_stage)],
            ),
            updated=step.created_at,
            link=_stage_page(programme, Stage(step.to_stage)),
        )
        for step, programme in seen
    ]


def _stage_page(programme: Programme, stage: Stage) -> str:
    if stage == Stage.CONSULTATION:
        return _page("programmes.consultation_page", programme_id=programme.id)
    return _page("programmes.show", programme_id=programme.id)


def programmes() -> Feed:
    title = _("Cooperation programmes of %(city)s: their stages", city=_city())
    return _feed("programmes", title, _page("programmes.index"), programme_stages())


def consultations() -> Feed:
    title = _("Public consultations of %(city)s", city=_city())
    entries = programme_stages((Stage.CONSULTATION,))
    return _feed("consultations", title, _page("programmes.index"), entries)


FEEDS = {
    "minutes": minutes,
    "events": events,
    "programmes": programmes,
    "consultations": consultations,
}


def widget() -> tuple[list[OpenWindow], list[home.UpcomingMeeting]]:
    """The open windows and the upcoming meetings, as the city's home shows them to anyone."""
    with as_anonymous():
        windows = home.open_windows(home.live_programmes())
        upcoming = home.upcoming_meetings(clock.today(), home.UPCOMING)
        upcoming = [u for u in upcoming if can("view", u.meeting)]
    return windows, upcoming
