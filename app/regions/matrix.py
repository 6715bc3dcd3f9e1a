"""The coordinator's matrix: every city of the region × every standard of a project."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.extensions import db
from app.regions.models import (
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    Standard,
    StandardsProject,
    ThematicBlock,
)
from app.tenancy.cross_tenant import reading_region
from app.tenancy.models import Tenant


@dataclass(frozen=True)
class ProgressPoint:
    month: date
    adopted: int


@dataclass(frozen=True)
class AdoptionMatrix:
    """Cities × standards: the status of each cell, the adoption shares and their history."""

    blocks: list[ThematicBlock]
    tenants: list[Tenant]
    standards: list[Standard]
    cells: dict[tuple[int, int], str]  # (tenant_id, standard_id) -> status
    progress: list[ProgressPoint]

    def status(self, tenant: Tenant, standard: Standard) -> str:
        return self.cells.get((tenant.id, standard.id), AdoptionStatus.NOT_STARTED)

    def share_for_city(self, tenant: Tenant) -> float | None:
        return _share(self.status(tenant, s) for s in self.standards)

    def share_for_standard(self, standard: Standard) -> float | None:
        return _share(self.status(t, standard) for t in self.tenants)

    def share_for_block(self, block: ThematicBlock) -> float | None:
        return _share(
            self.status(t, s)
            for s in self.standards
            if s.block_id == block.id
            for t in self.tenants
        )

    def share(self) -> float | None:
        return _share(self.status(t, s) for s in self.standards for t in self.tenants)


def _share(statuses: Iterable[str]) -> float | None:
    """Share adopted among the cells where the standard applies; None when none applies."""
    applicable = adopted = 0
    for status in statuses:
        if status != AdoptionStatus.NOT_APPLICABLE:
            applicable += 1
            adopted += status == AdoptionStatus.ADOPTED
    return adopted / applicable if applicable else None


def adoption_matrix(
    project: StandardsProject, block_id: int | None = None, status: str | None = None
) -> AdoptionMatrix:
    """Read every city's adoption of the project; the caller has checked the coordinator.

    `block_id` keeps one thematic block's standards; `status` keeps the cities that have at
    least one of those standards in that status.
    """
    in_project = ThematicBlock.project_id == project.id
    with reading_region(project.region, purpose=f"adoption matrix of project {project.id}"):
        rows = db.session.execute(
            select(Adoption.tenant_id, Adoption.standard_id, Adoption.status)
            .join(Standard)
            .join(ThematicBlock)
            .where(in_project)
        ).all()
        history = db.session.execute(
            select(AdoptionChange.adoption_id, AdoptionChange.status, AdoptionChange.created_at)
            .join(Adoption)
            .join(Standard)
            .join(ThematicBlock)
            .where(in_project)
            .order_by(AdoptionChange.created_at, AdoptionChange.id)
        ).all()
    # Loaded after the read: its audit record's commit expires what was loaded before.
    blocks = [b for b in project.blocks if block_id in (None, b.id)]
    standards = [s for block in blocks for s in block.standards]
    cells = {(tenant_id, standard_id): value for tenant_id, standard_id, value in rows}
    tenants = list(project.region.tenants)
    if status:
        shown = {s.id for s in standards}
        tenants = [
            t
            for t in tenants
            if any(cells.get((t.id, s), AdoptionStatus.NOT_STARTED) == status for s in shown)
        ]
    return AdoptionMatrix(blocks, tenants, standards, cells, _monthly_progress(history))


def _monthly_progress(history: Iterable[tuple[int, str, datetime]]) -> list[ProgressPoint]:
    """How many cells stood at "adopted" at the end of each month with a change."""
    current: dict[int, str] = {}
    adopted = 0
    points: dict[date, int] = {}
    for adoption_id, status, changed_at in history:
        adopted -= current.get(adoption_id) == AdoptionStatus.ADOPTED
        adopted += status == AdoptionStatus.ADOPTED
        current[adoption_id] = status
        points[changed_at.date().replace(day=1)] = adopted
    return [ProgressPoint(month, count) for month, count in points.items()]
