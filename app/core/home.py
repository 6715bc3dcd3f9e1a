"""A city's home page: what anyone can take part in or read, and for the city's office what
needs doing, with its date and the link to where it is done.

Each part is one query, so the page costs the same whatever the size of the city.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import cache, lru_cache
from typing import NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, joinedload, lazyload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import Role, User
from app.accounts.permissions import can, cities_of_current_user, is_staff
from app.core.page_cache import kept_for_cities
from app.extensions import db
from app.meetings import registration
from app.meetings.models import Decision, EventRegistration, Meeting, MeetingStatus
from app.meetings.models import RegistrationStatus as EventRegistrationStatus
from app.organisations.models import Registration, RegistrationStatus
from app.programmes import proposals
from app.programmes import services as programmes
from app.programmes.catalogue import FROZEN_STAGES, Kind, Stage, WindowKind
from app.programmes.models import Comment, EarlyClosing, Programme, Proposal, YearReport
from app.programmes.services import OpenWindow
from app.regions.models import Adoption, ReviewStatus
from app.tenancy import clock
from app.tenancy.context import current_tenant_id
from app.tenancy.cross_tenant import reading_own_cities
from app.tenancy.models import Tenant
from app.tenancy.resolution import visiting

UPCOMING = 5
LATEST_MINUTES = 3
# Statutory deadlines and decisions are shown this far ahead.
HORIZON = timedelta(days=60)
DECISIONS_AHEAD = timedelta(days=14)
# The office's list names the most urgent decisions and links to all of them.
DECISIONS_SHOWN = 10


@dataclass(frozen=True)
class UpcomingMeeting:
    meeting: Meeting
    registered: int

    @property
    def places_left(self) -> int | None:
        if not self.meeting.registration_open or self.meeting.capacity is None:
            return None
        return max(self.meeting.capacity - self.registered, 0)


@dataclass
class Home:
    today: date
    windows: list[OpenWindow]
    upcoming: list[UpcomingMeeting]
    minutes: list[Meeting]
    in_force: Programme | None
    last_report: Programme | None
    office: Office | None = None


class ProgrammeTitle(NamedTuple):
    id: int
    title: str


@dataclass
class Office:
    """The office's to-do list; every item links to where it is done."""

    deadlines: list[tuple[Programme, programmes.Deadline]] = field(default_factory=list)
    requests_waiting: int = 0
    unanswered: list[tuple[Programme, int, int]] = field(default_factory=list)
    decisions: list[tuple[Decision, Meeting]] = field(default_factory=list)
    decisions_open: int = 0
    returned_adoptions: list[Adoption] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.deadlines
            or self.requests_waiting
            or self.unanswered  # what is forwarded to a person is unanswered too
            or self.decisions
            or self.returned_adoptions
        )


class OfferedWindow(NamedTuple):
    """A window of a city's programme open to its NGOs, as their home names it."""

    programme_id: int
    kind: WindowKind
    last_day: date


class MeetingWithPlaces(NamedTuple):
    """A meeting still to come with free places, as an NGO's home names it."""

    meeting_id: int
    title: str
    held_on: date
    places_left: int


@dataclass(frozen=True)
class CityOffer:
    """What a city has open to its NGOs on its day: the same for each of them, so kept by
    the city's revision and its day (page_cache.kept_for_cities)."""

    windows: tuple[OfferedWindow, ...]
    meetings: tuple[MeetingWithPlaces, ...]


class PlaceToGoTo(NamedTuple):
    """The person's place at a meeting still to come (or on its waiting list), as their home
    lists it, with its cancel button."""

    registration_id: int
    waiting: bool
    meeting_id: int
    title: str
    held_on: date
    starts_at: time | None
    place: str | None

    @classmethod
    def of(cls, record: EventRegistration, meeting: Meeting) -> PlaceToGoTo:
        return cls(
            record.id,
            record.status == EventRegistrationStatus.WAITING,
            meeting.id,
            meeting.title,
            meeting.held_on,
            meeting.starts_at,
            meeting.place,
        )


@dataclass(frozen=True)
class OwnInCity:
    """The person's own in one of their cities: it changes only with the city's records (or
    the person's, which every kept part follows), so it is kept by the city's revision."""

    proposals_answered: int
    proposals_waiting: int
    places: tuple[PlaceToGoTo, ...]


@dataclass(frozen=True)
class CityToTakePartIn:
    """For an NGO's home: what one of its cities has open and ahead, and the person's own
    there."""

    tenant: Tenant
    today: date
    offer: CityOffer
    own: OwnInCity


def ngo_cities(user: User) -> list[CityToTakePartIn]:
    """The cities where the person acts for an organisation: what each offers, kept for every
    NGO of the city, and the person's own there, kept for them; what is not kept is read once
    for all the cities (cross_tenant.reading_own_cities), so the page costs the same for two
    cities and for twenty."""
    cities = {tenant.id: tenant for tenant, role in cities_of_current_user() if role == Role.NGO}
    if not cities:
        return []
    today: dict[int, date] = {}
    for tenant in cities.values():
        with visiting(tenant):
            today[tenant.id] = clock.today()  # in the city's time zone
    with reading_own_cities(tuple(today)):
        offers = kept_for_cities("ngo-offer", lambda days: _offers(cities, days), today)
        own = kept_for_cities("ngo-own", lambda days: _own(user, days), today, user.id)
    return [
        CityToTakePartIn(tenant, today[tenant.id], offers[tenant.id], own[tenant.id])
        for tenant in cities.values()
    ]


def _own(user: User, today: Mapping[int, date]) -> dict[int, OwnInCity]:
    """The person's own in each city of `today`: their organisations' proposals counted, their
    places at meetings still to come by the city's day."""
    counts = proposals.counts_of_user_by_city(user)
    places: dict[int, list[PlaceToGoTo]] = {city: [] for city in today}
    for record, meeting in _places_still_to_go_to(user.email, today):
        places[record.tenant_id].append(PlaceToGoTo.of(record, meeting))
    return {
        city: OwnInCity(*counts.get(city, (0, 0)), places=tuple(places[city])) for city in today
    }


def _offers(cities: dict[int, Tenant], today: Mapping[int, date]) -> dict[int, CityOffer]:
    """What each city of `today` offers its NGOs, each kind of record read once for all of
    them, each city's windows asked as its own pages ask (its access policy, its day)."""
    live = programmes_taking_input()
    upcoming = upcoming_meetings_of_cities(today)
    offers = {}
    for city in today:
        with visiting(cities[city]):
            windows = open_windows([p for p in live if p.tenant_id == city])
        offers[city] = CityOffer(
            tuple(OfferedWindow(w.programme.id, w.kind, w.last_day) for w in windows),
            tuple(
                MeetingWithPlaces(u.meeting.id, u.meeting.title, u.meeting.held_on, u.places_left)
                for u in upcoming
                if u.meeting.tenant_id == city and u.places_left
            ),
        )
    return offers


def _still_to_come_in_its_city(cities: int) -> ColumnElement[bool]:
    """A meeting held on or after its own city's today, of `cities` cities, bound as
    _days_of_cities gives them: a statement with it is built once for so many cities. The
    test against the earliest of those days is one PostgreSQL may make before the row-level
    policies, being leakproof (choosing the meeting's city's day is not): the cities' past
    meetings are then set aside before the policies are asked about each (1.6 -> 0.45 ms at
    regional scale)."""
    days = {
        bindparam(f"city_{number}", type_=Integer): bindparam(f"day_{number}", type_=Date)
        for number in range(cities)
    }
    return and_(
        Meeting.held_on >= bindparam("earliest_day", type_=Date),
        Meeting.held_on >= case(days, value=Meeting.tenant_id),
    )


def _days_of_cities(today: Mapping[int, date]) -> dict[str, object]:
    """The values of _still_to_come_in_its_city: {city id: its today}."""
    values: dict[str, object] = {"earliest_day": min(today.values())}
    for number, (city, day) in enumerate(today.items()):
        values[f"city_{number}"], values[f"day_{number}"] = city, day
    return values


def _places_still_to_go_to(email: str, today: Mapping[int, date]):
    values = {"email": email.lower(), **_days_of_cities(today)}
    return db.session.execute(_places_of_cities(len(today)), values).all()


@lru_cache(maxsize=64)
def _places_of_cities(cities: int) -> Select:
    """Built once a process for so many cities, as _upcoming_of_cities."""
    return registration.places_still_to_go_to(_still_to_come_in_its_city(cities))


def live_programmes() -> list[Programme]:
    """With their early closings, which each window reads (one query, not one a programme)."""
    return list(
        db.session.scalars(
            select(Programme)
            .options(selectinload(Programme.early_closings))
            .where(Programme.deleted_at.is_(None))
        )
    )


def programmes_taking_input() -> list[Programme]:
    """The programmes at a stage with a window (the others take no input), with what their
    windows and their access policy read and nothing else, early closings joined: one query
    for an NGO's cities, however many programmes they have had."""
    return list(db.session.scalars(_taking_input()).unique())


@cache
def _taking_input() -> Select:
    """Built once a process: its loader options cost more to build than the query to run."""
    return (
        select(Programme)
        .options(
            load_only(
                Programme.tenant_id,
                Programme.stage,
                Programme.deleted_at,
                Programme.proposals_from,
                Programme.proposals_to,
                Programme.consultation_from,
                Programme.consultation_to,
            ),
            joinedload(Programme.early_closings).options(
                load_only(EarlyClosing.kind, EarlyClosing.closed_at),
                lazyload(EarlyClosing.closed_by),
            ),
        )
        .where(
            Programme.deleted_at.is_(None),
            Programme.stage.in_([stage.value for stage in programmes.WINDOW_STAGES.values()]),
        )
    )


def home() -> Home:
    today = clock.today()
    live = live_programmes()
    page = Home(
        today=today,
        windows=open_windows(live),
        upcoming=upcoming_meetings(today),
        minutes=latest_minutes(today),
        in_force=_in_force(live, today.year),
        last_report=max(
            (p for p in live if p.report_published_on),
            key=lambda p: p.report_published_on,
            default=None,
        ),
    )
    if is_staff():
        page.office = _office(live, today)
    return page


def open_windows(live: list[Programme]) -> list[OpenWindow]:
    found = [
        window
        for programme in live
        if (window := programmes.open_window(programme)) and can("view", programme)
    ]
    return sorted(found, key=lambda window: window.last_day)


def _published_meetings():
    return select(Meeting).where(
        Meeting.status == MeetingStatus.PUBLISHED.value, Meeting.deleted_at.is_(None)
    )


def _confirmed_registrations():
    return (
        select(func.count(EventRegistration.id))
        .where(
            EventRegistration.meeting_id == Meeting.id,
            EventRegistration.status == "confirmed",
        )
        .scalar_subquery()
    )


def upcoming_meetings(today: date, limit: int = UPCOMING) -> list[UpcomingMeeting]:
    """The published meetings still to come, the soonest first, each with its confirmed
    registrations (free places), in one query."""
    rows = db.session.execute(
        _published_meetings()
        .add_columns(_confirmed_registrations())
        .where(Meeting.held_on >= today)
        .order_by(Meeting.held_on, Meeting.starts_at)
        .limit(limit)
    ).all()
    return [UpcomingMeeting(meeting, count) for meeting, count in rows]


# What an NGO's home shows of a meeting still to come, and what its free places read.
_UPCOMING_SHOWN = (
    "id",
    "tenant_id",
    "title",
    "held_on",
    "starts_at",
    "registration_open",
    "capacity",
)


def upcoming_meetings_of_cities(
    today: Mapping[int, date], limit: int = UPCOMING
) -> list[UpcomingMeeting]:
    """As upcoming_meetings, `limit` in each of the cities read (cross_tenant), still to
    come by each city's `today`, in one query."""
    rows = db.session.execute(_upcoming_of_cities(len(today), limit), _days_of_cities(today)).all()
    return [UpcomingMeeting(found, count) for found, count in rows]


@lru_cache(maxsize=64)
def _upcoming_of_cities(cities: int, limit: int) -> Select:
    """Built once a process for so many cities: building it cost more than running it. Of
    each meeting only what the NGO's home shows (_UPCOMING_SHOWN)."""
    ranked = (
        _published_meetings()
        .with_only_columns(*(getattr(Meeting, name) for name in _UPCOMING_SHOWN))
        .add_columns(
            _confirmed_registrations().label("registered"),
            func.row_number()
            .over(partition_by=Meeting.tenant_id, order_by=(Meeting.held_on, Meeting.starts_at))
            .label("rank"),
        )
        .where(_still_to_come_in_its_city(cities))
        .subquery()
    )
    meeting = aliased(Meeting, ranked)
    return (
        select(meeting, ranked.c.registered)
        .options(load_only(*(getattr(meeting, name) for name in _UPCOMING_SHOWN)))
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.held_on, ranked.c.starts_at)
    )


def latest_minutes(today: date, limit: int = LATEST_MINUTES) -> list[Meeting]:
    return list(
        db.session.scalars(
            _published_meetings()
            .where(Meeting.held_on < today)
            .order_by(Meeting.held_on.desc(), Meeting.id.desc())
            .limit(limit)
        )
    )


def _in_force(live: list[Programme], year: int) -> Programme | None:
    adopted = [
        p for p in live if Stage(p.stage) in FROZEN_STAGES and p.year_from <= year <= p.year_to
    ]
    return max(adopted, key=lambda p: p.year_from, default=None)


def _office(live: list[Programme], today: date) -> Office:
    unanswered, requests_waiting = _waiting_for_answers(live)
    decisions = _decisions_due(today)
    return Office(
        deadlines=_deadlines(live, today),
        requests_waiting=requests_waiting,
        unanswered=unanswered,
        decisions=[(decision, meeting) for decision, meeting, _ in decisions],
        decisions_open=decisions[0].open if decisions else 0,
        returned_adoptions=list(
            db.session.scalars(
                select(Adoption)
                .options(joinedload(Adoption.standard))
                .where(Adoption.review_status == ReviewStatus.RETURNED.value)
            )
        ),
    )


def _decisions_due(today: date) -> list:
    """The decisions due soonest, each row with how many are due in all; of each only what
    the home page shows (a city's thousand open decisions are joined to their meetings to be
    counted: whole meeting rows made that join the page's slowest query)."""
    return list(
        db.session.execute(
            select(Decision, Meeting, func.count().over().label("open"))
            .join(Meeting, Meeting.id == Decision.meeting_id)
            .options(load_only(Decision.text, Decision.due_on), load_only(Meeting.title))
            .where(
                Meeting.deleted_at.is_(None),
                Decision.done_on.is_(None),
                Decision.due_on <= today + DECISIONS_AHEAD,
            )
            .order_by(Decision.due_on, Decision.id)
            .limit(DECISIONS_SHOWN)
        ).all()
    )


def _deadlines(live: list[Programme], today: date) -> list[tuple[Programme, programmes.Deadline]]:
    _load_year_reports(live)
    due = [
        (programme, deadline)
        for programme in live
        for deadline in programmes.deadlines(programme)
        if deadline.met_on is None and deadline.due <= today + HORIZON
    ]
    return sorted(due, key=lambda pair: pair[1].due)


def _load_year_reports(live: list[Programme]) -> None:
    """The reports on each year of the multi-year programmes, which their deadlines read: in
    one query for all of them, none when every programme is annual."""
    yearly = {p.id: p for p in live if p.kind == Kind.MULTI_YEAR}
    if not yearly:
        return
    reports: dict[int, list[YearReport]] = {programme_id: [] for programme_id in yearly}
    for report in db.session.scalars(
        select(YearReport)
        .where(YearReport.programme_id.in_(yearly), YearReport.deleted_at.is_(None))
        .order_by(YearReport.year)
    ):
        reports[report.programme_id].append(report)
    for programme_id, found in reports.items():
        set_committed_value(yearly[programme_id], "year_reports", found)


# Where the count of the organisations' requests to be registered comes in the union below:
# no programme has this id.
_NO_PROGRAMME = 0


def _waiting_for_answers(
    live: list[Programme],
) -> tuple[list[tuple[Programme, int, int]], int]:
    """(programme, proposals, comments) still waiting for the city's answer, and the
    organisations' requests to be registered; in one query."""
    waiting = union_all(
        select(literal(_NO_PROGRAMME), literal("registration requests"), func.count()).where(
            Registration.tenant_id == current_tenant_id(),  # links are not tenant-scoped
            Registration.status == RegistrationStatus.REQUESTED.value,
        ),
        select(Proposal.programme_id, literal("proposals"), func.count())
        .where(Proposal.answer.is_(None))
        .group_by(Proposal.programme_id),
        select(Comment.programme_id, literal("comments"), func.count())
        .where(Comment.answer.is_(None))
        .group_by(Comment.programme_id),
    )
    counts = {
        (programme_id, kind): count for programme_id, kind, count in db.session.execute(waiting)
    }

    def per_programme(proposals: str, comments: str) -> list[tuple[Programme, int, int]]:
        return [
            (p, counts.get((p.id, proposals), 0), counts.get((p.id, comments), 0))
            for p in live
            if (p.id, proposals) in counts or (p.id, comments) in counts
        ]

    return (
        per_programme("proposals", "comments"),
        counts.get((_NO_PROGRAMME, "registration requests"), 0),
    )


def forwarded_to(user: User) -> list[tuple[ProgrammeTitle, int, int]]:
    """(programme's id and title, proposals, comments) forwarded to the person and still
    waiting for their answer, in the order of the programmes; in one query. The office's
    to-do list shows them, the one part of it that is the person's own."""
    counts: dict[ProgrammeTitle, dict[str, int]] = {}
    for programme_id, title, kind, count in db.session.execute(
        _forwarded_to_statement(), {"person_id": user.id}
    ):
        counts.setdefault(ProgrammeTitle(programme_id, title), {})[kind] = count
    return [
        (programme, found.get("proposals", 0), found.get("comments", 0))
        for programme, found in counts.items()
    ]


@cache
def _forwarded_to_statement() -> Select:
    """Built once a process, for every request of the office's home: built each time, it
    cost more than running it (a union of two counts, as a subquery)."""
    person = bindparam("person_id", type_=Integer)
    mine = union_all(
        select(Proposal.programme_id, literal("proposals").label("kind"), func.count())
        .where(Proposal.answer.is_(None), Proposal.forwarded_to_user_id == person)
        .group_by(Proposal.programme_id),
        select(Comment.programme_id, literal("comments"), func.count())
        .where(Comment.answer.is_(None), Comment.forwarded_to_user_id == person)
        .group_by(Comment.programme_id),
    ).subquery()
    return (
        select(Programme.id, Programme.title, mine.c.kind, mine.c[2])
        .join(mine, mine.c.programme_id == Programme.id)
        .where(Programme.deleted_at.is_(None))
        .order_by(Programme.id)
    )
