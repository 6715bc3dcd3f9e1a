"""One city's row for one standard, as the matrix's cell opens it: where the city stands,
its evidence, the history of the row with who changed it and when, and the coordinator's
comments. The coordinator reads it through the audited door (only the regional reader's
columns, never the city's own notes); the city's staff read their own row in the city."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.regions.matrix import ProgressPoint, city_progress
from app.regions.models import Adoption, AdoptionChange, AdoptionStatus, Standard
from app.tenancy.cross_tenant import reading_region
from app.tenancy.models import Tenant


@dataclass(frozen=True)
class HistoryEntry:
    status: str
    review_status: str | None
    comment: str
    who: str | None
    at: datetime


@dataclass(frozen=True)
class AdoptionRecord:
    tenant: Tenant
    standard: Standard
    adoption_id: int | None  # None: the city has recorded nothing for the standard yet
    status: str
    review_status: str | None
    evidence: str
    evidence_file_name: str | None
    decided_on: date | None
    review_comment: str
    history: list[HistoryEntry]
    progress: list[ProgressPoint]  # the city's adoption of the project's standards over time


def city_record(tenant: Tenant, standard: Standard, across_region: bool) -> AdoptionRecord:
    """The city's row; `across_region` for the region's coordinator (an audited read)."""
    purpose = f"adoption of standard {standard.id} in {tenant.slug}"
    door = reading_region(tenant.region, purpose=purpose) if across_region else nullcontext()
    with door:
        row = db.session.execute(
            select(
                Adoption.id,
                Adoption.status,
                Adoption.review_status,
                Adoption.evidence,
                Adoption.evidence_file_name,
                Adoption.decided_on,
                Adoption.review_comment,
            ).where(Adoption.tenant_id == tenant.id, Adoption.standard_id == standard.id)
        ).first()
        changes = _changes(tenant.id, row[0]) if row else []
        progress = city_progress(standard.block.project, tenant.id)
    if row is None:
        nothing = (None, AdoptionStatus.NOT_STARTED, None, "", None, None, "")
        return AdoptionRecord(tenant, standard, *nothing, history=[], progress=progress)
    return AdoptionRecord(tenant, standard, *row, history=_with_names(changes), progress=progress)


def _changes(tenant_id: int, adoption_id: int) -> list[tuple]:
    rows = db.session.execute(
        select(
            AdoptionChange.status,
            AdoptionChange.review_status,
            AdoptionChange.comment,
            AdoptionChange.user_id,
            AdoptionChange.created_at,
        )
        .where(AdoptionChange.tenant_id == tenant_id, AdoptionChange.adoption_id == adoption_id)
        .order_by(AdoptionChange.created_at.desc(), AdoptionChange.id.desc())
    ).all()
    return [tuple(row) for row in rows]


def _with_names(changes: list[tuple]) -> list[HistoryEntry]:
    """Who made each change, by name, read after the regional read (people are global)."""
    ids = {change[3] for change in changes if change[3] is not None}
    people = select(User.id, User.name).where(User.id.in_(ids))
    names = {user_id: name for user_id, name in db.session.execute(people)} if ids else {}
    return [
        HistoryEntry(status, review, comment or "", names.get(user_id), at)
        for status, review, comment, user_id, at in changes
    ]
