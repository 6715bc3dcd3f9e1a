"""The project's report for its funder: for a period, the meetings held in each city and each
thematic block with their participants by sector, the standards and their versions, and the
adoption each city had reached (accepted by the coordinator) by the period's end.

Read through the audited door in a constant number of queries, whatever the region's size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.meetings.models import Attendee, Meeting
from app.regions.cities import City, cities_of
from app.regions.matrix import ADOPTED, NOT_APPLICABLE, UNACCEPTED
from app.regions.models import (
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    ReviewStatus,
    Standard,
    StandardsProject,
    ThematicBlock,
)
from app.tenancy import clock
from app.tenancy.cross_tenant import reading_region


@dataclass
class Participants:
    """People at meetings by sector (the rule is in the report's notes)."""

    offices: int = 0
    ngos: int = 0
    others: int = 0
    unlisted: int = 0  # entered as a number, without an attendance list by name

    @property
    def total(self) -> int:
        return self.offices + self.ngos + self.others + self.unlisted

    def add(self, other: Participants) -> None:
        self.offices += other.offices
        self.ngos += other.ngos
        self.others += other.others
        self.unlisted += other.unlisted


@dataclass(frozen=True)
class ReportMeeting:
    city: City
    held_on: date
    title: str
    block: ThematicBlock
    participants: Participants


@dataclass
class CityMeetings:
    city: City
    by_block: dict[int, int]  # thematic block id -> meetings held
    participants: Participants = field(default_factory=Participants)

    @property
    def meetings(self) -> int:
        return sum(self.by_block.values())


@dataclass(frozen=True)
class CityAdoption:
    city: City
    statuses: Counter[str]  # accepted statuses, UNACCEPTED for a declaration not accepted
    standards: int

    @property
    def share(self) -> float | None:
        """Accepted adoptions among the standards that apply to the city, as the matrix's."""
        applicable = self.standards - self.statuses[NOT_APPLICABLE]
        return self.statuses[ADOPTED] / applicable if applicable else None


@dataclass(frozen=True)
class ProjectReport:
    project: StandardsProject
    first: date
    last: date
    blocks: list[ThematicBlock]
    standards: list[Standard]
    meetings: list[ReportMeeting]
    cities: list[CityMeetings]
    block_participants: dict[int, Participants]
    adoption: list[CityAdoption]


def whole_period(project: StandardsProject) -> tuple[date | None, date | None]:
    """The report's default period: the project's duration."""
    return project.starts_on, project.ends_on


def period_problem(project: StandardsProject, first: date, last: date) -> str | None:
    """Why the report cannot be on these days, or None: a period within the project, its
    first day before its last."""
    if project.starts_on and first < project.starts_on:
        return _(
            "The period cannot start before the project (%(date)s).",
            date=project.starts_on.isoformat(),
        )
    if last < first:
        return _("The period cannot end before it starts.")
    if project.ends_on and last > project.ends_on:
        return _(
            "The period cannot end after the project (%(date)s).",
            date=project.ends_on.isoformat(),
        )
    return None


def project_report(project: StandardsProject, first: date, last: date) -> ProjectReport:
    """The report for the days from `first` to `last`, both included; the caller has
    checked that the person coordinates the project's region."""
    purpose = f"report of project {project.id}, {first.isoformat()} to {last.isoformat()}"
    with reading_region(project.region, purpose=purpose):
        meeting_rows = _meeting_rows(project, first, min(last, clock.today()))
        adoption_rows = _adoption_rows(project, last)
    cities = cities_of(project.region_id)
    blocks = list(project.blocks)
    standards = [s for block in blocks for s in block.standards]
    meetings = _meetings(meeting_rows, cities, blocks)
    by_city = {city.id: CityMeetings(city, {b.id: 0 for b in blocks}) for city in cities}
    by_block = {block.id: Participants() for block in blocks}
    for meeting in meetings:
        by_city[meeting.city.id].by_block[meeting.block.id] += 1
        by_city[meeting.city.id].participants.add(meeting.participants)
        by_block[meeting.block.id].add(meeting.participants)
    return ProjectReport(
        project=project,
        first=first,
        last=last,
        blocks=blocks,
        standards=standards,
        meetings=meetings,
        cities=list(by_city.values()),
        block_participants=by_block,
        adoption=_adoption(adoption_rows, cities, len(standards)),
    )


def _meeting_rows(project: StandardsProject, first: date, last: date) -> list[tuple]:
    """Each meeting of the project's blocks held in the period, with its attendance list
    counted by sector and the numbers entered for a meeting without one."""
    listed = func.count(Attendee.id)
    offices = func.count(Attendee.id).filter(Attendee.official.is_(True))
    ngos = func.count(Attendee.id).filter(
        Attendee.official.is_(False), Attendee.organisation_id.is_not(None)
    )
    return [
        tuple(row)
        for row in db.session.execute(
            select(
                Meeting.tenant_id,
                Meeting.held_on,
                Meeting.title,
                Meeting.thematic_block_id,
                listed,
                offices,
                ngos,
                Meeting.people_count,
                Meeting.officials_count,
            )
            .outerjoin(Attendee, Attendee.meeting_id == Meeting.id)
            .join(ThematicBlock, ThematicBlock.id == Meeting.thematic_block_id)
            .where(
                ThematicBlock.project_id == project.id,
                Meeting.deleted_at.is_(None),
                Meeting.held_on.between(first, last),
            )
            .group_by(Meeting.id)
            .order_by(Meeting.held_on, Meeting.tenant_id, Meeting.id)
        )
    ]


def _meetings(rows: list[tuple], cities: list[City], blocks: list[ThematicBlock]):
    city_of = {city.id: city for city in cities}
    block_of = {block.id: block for block in blocks}
    return [
        ReportMeeting(city_of[tenant_id], held_on, title, block_of[block_id], _sectors(*counts))
        for tenant_id, held_on, title, block_id, *counts in rows
    ]


def _sectors(
    listed: int, offices: int, ngos: int, people: int | None, officials: int | None
) -> Participants:
    if listed:
        return Participants(offices=offices, ngos=ngos, others=listed - offices - ngos)
    return Participants(offices=officials or 0, unlisted=people or 0)


def _adoption_rows(project: StandardsProject, last: date) -> list[tuple[int, str, str | None]]:
    """(city, status, review) of each row's last change by the end of `last`."""
    until = clock.start_of(last + timedelta(days=1))  # the end of the day in Poland
    latest = (
        func.row_number()
        .over(
            partition_by=AdoptionChange.adoption_id,
            order_by=(AdoptionChange.created_at.desc(), AdoptionChange.id.desc()),
        )
        .label("latest")
    )
    changes = (
        select(Adoption.tenant_id, AdoptionChange.status, AdoptionChange.review_status, latest)
        .join(Adoption, Adoption.id == AdoptionChange.adoption_id)
        .join(Standard, Standard.id == Adoption.standard_id)
        .join(ThematicBlock, ThematicBlock.id == Standard.block_id)
        .where(ThematicBlock.project_id == project.id, AdoptionChange.created_at < until)
        .subquery()
    )
    rows = db.session.execute(
        select(changes.c.tenant_id, changes.c.status, changes.c.review_status).where(
            changes.c.latest == 1
        )
    )
    return [tuple(row) for row in rows]


def _adoption(rows: list[tuple], cities: list[City], standards: int) -> list[CityAdoption]:
    """Per city, its rows counted by accepted status: a declaration the coordinator had not
    accepted by then counts apart, and a standard with no record as not started."""
    counted: dict[int, Counter[str]] = {city.id: Counter() for city in cities}
    for tenant_id, status, review in rows:
        accepted = review in (None, ReviewStatus.ACCEPTED) or status == AdoptionStatus.NOT_STARTED
        counted[tenant_id][status if accepted else UNACCEPTED] += 1
    for statuses in counted.values():
        statuses[AdoptionStatus.NOT_STARTED] += standards - sum(statuses.values())
    return [CityAdoption(city, counted[city.id], standards) for city in cities]
