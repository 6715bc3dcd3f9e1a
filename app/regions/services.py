"""Regional figures across the region's cities, read only through the audited door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, select

from app import unit_of_work
from app.audit.models import AuditEntry, acting_user_id
from app.extensions import db
from app.files import CheckedUpload
from app.meetings.models import Attendee, Meeting, MeetingStatus
from app.notifications import events
from app.regions.models import (
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    ReviewStatus,
    Standard,
    StandardsProject,
    ThematicBlock,
)
from app.storage import storage
from app.tenancy import clock
from app.tenancy.context import current_scope, tenant_scope
from app.tenancy.cross_tenant import reading_region
from app.tenancy.models import VOIVODESHIP, Region, Tenant, in_name_order
from app.webhooks.catalogue import EventKind
from app.webhooks.services import announce


@dataclass(frozen=True)
class CityActivity:
    tenant_id: int
    changes_last_30_days: int
    last_change_at: datetime | None


def activity_by_city(region: Region) -> dict[int, CityActivity]:
    """How active each city of the region has been in Razem (aggregates only)."""
    since = clock.now() - timedelta(days=30)
    with reading_region(region, purpose="region overview: activity per city"):
        rows = db.session.execute(
            select(
                AuditEntry.tenant_id,
                func.count().filter(AuditEntry.created_at >= since),
                func.max(AuditEntry.created_at),
            ).group_by(AuditEntry.tenant_id)
        ).all()
    return {row[0]: CityActivity(row[0], row[1], row[2]) for row in rows}


def local_governments_of(region: Region) -> Select:
    """The region's municipalities and powiats by name (Region.local_governments, as a
    select to read a page of)."""
    return (
        select(Tenant)
        .where(Tenant.region_id == region.id, Tenant.kind != VOIVODESHIP)
        .order_by(*in_name_order(Tenant))
    )


@dataclass(frozen=True)
class CoordinatorAgenda:
    """What needs the region's coordinator: rows to review, cities gone quiet, meetings ahead."""

    reviews_waiting: list[tuple[StandardsProject, int]]
    quiet_cities: list[Tenant]  # the first QUIET_CITIES_SHOWN of them by name
    quiet_cities_more: int  # and how many besides
    meetings_ahead: list[ProjectMeeting]


# The agenda names this many quiet cities and counts the rest, however large the region.
QUIET_CITIES_SHOWN = 12


def coordinator_agenda(
    region: Region, projects: list[StandardsProject], activity: dict[int, CityActivity]
) -> CoordinatorAgenda:
    ids = [project.id for project in projects]
    with reading_region(region, purpose="region overview: reviews waiting per project"):
        waiting = dict(
            db.session.execute(
                select(ThematicBlock.project_id, func.count(Adoption.id))
                .join(Standard, Standard.block_id == ThematicBlock.id)
                .join(Adoption, Adoption.standard_id == Standard.id)
                .where(
                    ThematicBlock.project_id.in_(ids),
                    Adoption.review_status == ReviewStatus.PENDING,
                )
                .group_by(ThematicBlock.project_id)
            ).all()
        )
    today = clock.today()
    quiet = [
        tenant
        for tenant in region.local_governments
        if not (activity.get(tenant.id) and activity[tenant.id].changes_last_30_days)
    ]
    return CoordinatorAgenda(
        reviews_waiting=[(p, waiting[p.id]) for p in projects if waiting.get(p.id)],
        quiet_cities=quiet[:QUIET_CITIES_SHOWN],
        quiet_cities_more=len(quiet[QUIET_CITIES_SHOWN:]),
        meetings_ahead=[
            meeting
            for meetings in meetings_of_projects(
                region, projects, "region overview: meetings of its projects"
            ).values()
            for meeting in meetings
            if meeting.held_on >= today
        ],
    )


def blocks_of_region(region: Region) -> list[tuple[ThematicBlock, StandardsProject]]:
    """The thematic blocks a city's meeting can belong to, newest project first."""
    projects = db.session.scalars(
        select(StandardsProject)
        .where(StandardsProject.region_id == region.id)
        .order_by(StandardsProject.starts_on.desc(), StandardsProject.id.desc())
    ).all()
    return [(block, project) for project in projects for block in project.blocks]


def standard_of_region(region: Region, standard_id: int) -> Standard | None:
    return db.session.scalar(
        select(Standard)
        .join(ThematicBlock)
        .join(StandardsProject)
        .where(Standard.id == standard_id, StandardsProject.region_id == region.id)
    )


def targets_near(tenant: Tenant, day: date, days_ahead: int) -> list[Standard]:
    """The region's standards whose target date falls within `days_ahead` of `day` and that
    the city (the current tenant) has neither adopted nor found not applicable."""
    done = select(Adoption.standard_id).where(
        Adoption.tenant_id == tenant.id,
        Adoption.status.in_((AdoptionStatus.ADOPTED, AdoptionStatus.NOT_APPLICABLE)),
    )
    return list(
        db.session.scalars(
            select(Standard)
            .join(ThematicBlock)
            .join(StandardsProject)
            .where(
                StandardsProject.region_id == tenant.region_id,
                Standard.target_date.between(day, day + timedelta(days=days_ahead)),
                Standard.id.not_in(done),
            )
            .order_by(Standard.target_date, Standard.id)
        )
    )


def adoption_of(standard: Standard) -> Adoption | None:
    """The current city's row for the standard (scoping keeps it to the city)."""
    return db.session.scalar(select(Adoption).where(Adoption.standard_id == standard.id))


def save_adoption(
    standard: Standard,
    expected_version: int,
    data: dict[str, Any],
    document: CheckedUpload | None = None,
) -> Adoption:
    """The city records where it stands; the change goes to the coordinator for review.

    A new evidence document replaces the earlier one; without one, the earlier one stays."""
    adoption = adoption_of(standard)
    if adoption is None:
        adoption = Adoption(standard_id=standard.id)
        db.session.add(adoption)
    else:
        unit_of_work.check_version(
            adoption,
            expected_version,
            _(
                "Someone else saved this standard's adoption while you were editing it. "
                "Your entries are kept below: compare them with the saved ones and save again."
            ),
        )
    fields = ("status", "evidence", "decided_on", "notes")
    if document is None and all(getattr(adoption, name) == data[name] for name in fields):
        return adoption  # saved unchanged: nothing new for the coordinator to review
    for field in fields:
        setattr(adoption, field, data[field])
    if document is not None:
        adoption.evidence_file_key = storage().save(
            current_scope().tenant_id, document.filename, document.data
        )
        adoption.evidence_file_name = document.filename
    adoption.review_status = ReviewStatus.PENDING
    adoption.review_comment = ""
    adoption.changes.append(
        AdoptionChange(
            status=adoption.status, review_status=ReviewStatus.PENDING, user_id=acting_user_id()
        )
    )
    unit_of_work.flush()
    announce(EventKind.ADOPTION_CHANGED, adoption)
    return adoption


@dataclass(frozen=True)
class PendingReview:
    adoption_id: int
    tenant: Tenant
    standard: Standard
    status: str
    evidence: str
    evidence_file_name: str | None
    decided_on: date | None
    lock_version: int  # of the city's row, as the coordinator read it


def pending_reviews(project: StandardsProject) -> list[PendingReview]:
    """Rows the cities have submitted and the coordinator has not reviewed (no private notes)."""
    with reading_region(project.region, purpose=f"adoption reviews of project {project.id}"):
        rows = db.session.execute(
            select(
                Adoption.id,
                Adoption.tenant_id,
                Adoption.standard_id,
                Adoption.status,
                Adoption.evidence,
                Adoption.evidence_file_name,
                Adoption.decided_on,
                Adoption.lock_version,
            )
            .join(Standard)
            .join(ThematicBlock)
            .where(
                ThematicBlock.project_id == project.id,
                Adoption.review_status == ReviewStatus.PENDING,
            )
            .order_by(Adoption.updated_at)
        ).all()
    tenants = {t.id: t for t in project.region.tenants}
    standards = {s.id: s for block in project.blocks for s in block.standards}
    return [PendingReview(row[0], tenants[row[1]], standards[row[2]], *row[3:]) for row in rows]


def evidence_document(project: StandardsProject, adoption_id: int) -> tuple[str, str | None] | None:
    """(storage key, file name) of a city's evidence for one of the project's standards."""
    with reading_region(project.region, purpose=f"evidence of adoption {adoption_id}"):
        row = db.session.execute(
            select(Adoption.evidence_file_key, Adoption.evidence_file_name)
            .join(Standard)
            .join(ThematicBlock)
            .where(Adoption.id == adoption_id, ThematicBlock.project_id == project.id)
        ).first()
    return (row[0], row[1]) if row and row[0] else None


def pending_review(project: StandardsProject, adoption_id: int) -> PendingReview | None:
    return next((r for r in pending_reviews(project) if r.adoption_id == adoption_id), None)


def review_adoption(
    project: StandardsProject,
    adoption_id: int,
    accept: bool,
    comment: str,
    expected_version: int | None = None,
) -> Adoption:
    """The coordinator accepts a city's row or sends it back; written as that city, on record.

    With `expected_version`, a row the city has saved again since the coordinator read it is
    refused (EditConflict): the coordinator would be judging a declaration they have not seen.
    A row of another project or one never sent for review is a LookupError; a row no longer
    awaiting review (another coordinator was quicker) an EditConflict."""
    with reading_region(project.region, purpose=f"review of adoption {adoption_id}"):
        row = db.session.execute(
            select(Adoption.tenant_id, Adoption.review_status)
            .join(Standard)
            .join(ThematicBlock)
            .where(Adoption.id == adoption_id, ThematicBlock.project_id == project.id)
        ).first()
    if row is None or row.review_status is None:  # no such row, or never sent for review
        raise LookupError(adoption_id)
    tenant_id, review_status = row
    if review_status != ReviewStatus.PENDING:
        raise unit_of_work.EditConflict(
            _("This declaration no longer awaits review: somebody has reviewed it already.")
        )
    with tenant_scope(tenant_id):
        adoption = db.session.get_one(Adoption, adoption_id)
        if expected_version is not None:
            unit_of_work.check_version(
                adoption,
                expected_version,
                _(
                    "The city saved this row again since you read it: read its declaration "
                    "again before you review it."
                ),
            )
        adoption.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
        adoption.review_comment = comment
        adoption.changes.append(
            AdoptionChange(
                status=adoption.status,
                review_status=adoption.review_status,
                comment=comment,
                user_id=acting_user_id(),
            )
        )
        unit_of_work.flush()
        announce(EventKind.ADOPTION_CHANGED, adoption)
        if not accept:
            events.adoption_returned(adoption)
    return adoption


@dataclass(frozen=True)
class ProjectMeeting:
    tenant: Tenant
    meeting_id: int
    title: str
    held_on: date
    block: ThematicBlock
    participants: int | None


def project_meetings(project: StandardsProject) -> list[ProjectMeeting]:
    """The project's participatory meetings in the region's cities (published minutes only,
    which are public anyway), with the number of participants of each."""
    return meetings_of_projects(project.region, [project], f"meetings of project {project.id}")[
        project.id
    ]


def meetings_of_projects(
    region: Region, projects: list[StandardsProject], purpose: str
) -> dict[int, list[ProjectMeeting]]:
    """project_meetings of several projects of the region, in one read: {project id: its
    meetings}."""
    listed = func.count(Attendee.id)
    entered = Meeting.people_count + func.coalesce(Meeting.officials_count, 0)
    found: dict[int, list[ProjectMeeting]] = {project.id: [] for project in projects}
    if not projects:
        return found
    with reading_region(region, purpose=purpose):
        rows = db.session.execute(
            select(
                Meeting.tenant_id,
                Meeting.id,
                Meeting.title,
                Meeting.held_on,
                Meeting.thematic_block_id,
                case((listed > 0, listed), else_=entered),
                ThematicBlock.project_id,
            )
            .outerjoin(Attendee, Attendee.meeting_id == Meeting.id)
            .join(ThematicBlock, ThematicBlock.id == Meeting.thematic_block_id)
            .where(
                ThematicBlock.project_id.in_(found),
                Meeting.status == MeetingStatus.PUBLISHED,
                Meeting.deleted_at.is_(None),
            )
            .group_by(Meeting.id, ThematicBlock.project_id)
            .order_by(Meeting.held_on, Meeting.tenant_id)
        ).all()
    tenants = {t.id: t for t in region.tenants}
    blocks = {b.id: b for project in projects for b in project.blocks}
    for row in rows:
        found[row[6]].append(
            ProjectMeeting(tenants[row[0]], row[1], row[2], row[3], blocks[row[4]], row[5])
        )
    return found
