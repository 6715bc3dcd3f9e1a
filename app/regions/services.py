"""Regional figures across the region's cities, read only through the audited door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.regions.models import (
    Adoption,
    AdoptionStatus,
    Standard,
    StandardsProject,
    ThematicBlock,
)
from app.tenancy.cross_tenant import reading_region
from app.tenancy.models import Region, Tenant


@dataclass(frozen=True)
class CityActivity:
    tenant_id: int
    changes_last_30_days: int
    last_change_at: datetime | None


def activity_by_city(region: Region) -> dict[int, CityActivity]:
    """How active each city of the region has been in Razem (aggregates only)."""
    since = datetime.now(UTC) - timedelta(days=30)
    with reading_region(region, purpose="region overview: activity per city"):
        rows = db.session.execute(
            select(
                AuditEntry.tenant_id,
                func.count().filter(AuditEntry.created_at >= since),
                func.max(AuditEntry.created_at),
            ).group_by(AuditEntry.tenant_id)
        ).all()
    return {row[0]: CityActivity(row[0], row[1], row[2]) for row in rows}


@dataclass(frozen=True)
class AdoptionMatrix:
    """Cities × standards of one project: the status of each cell and the adoption shares."""

    tenants: list[Tenant]
    standards: list[Standard]
    cells: dict[tuple[int, int], str]  # (tenant_id, standard_id) -> status

    def status(self, tenant: Tenant, standard: Standard) -> str:
        return self.cells.get((tenant.id, standard.id), AdoptionStatus.NOT_STARTED)

    def share_for_city(self, tenant: Tenant) -> float | None:
        return self._share([self.status(tenant, s) for s in self.standards])

    def share_for_standard(self, standard: Standard) -> float | None:
        return self._share([self.status(t, standard) for t in self.tenants])

    @staticmethod
    def _share(statuses: list[str]) -> float | None:
        """Share adopted among the standards that apply; None when none applies."""
        applicable = [s for s in statuses if s != AdoptionStatus.NOT_APPLICABLE]
        if not applicable:
            return None
        return sum(s == AdoptionStatus.ADOPTED for s in applicable) / len(applicable)


def adoption_matrix(project: StandardsProject) -> AdoptionMatrix:
    """Read every city's adoption rows of the project; the coordinator's check comes first."""
    with reading_region(project.region, purpose=f"adoption matrix of project {project.id}"):
        rows = db.session.execute(
            select(Adoption.tenant_id, Adoption.standard_id, Adoption.status)
            .join(Standard)
            .join(ThematicBlock)
            .where(ThematicBlock.project_id == project.id)
        ).all()
    # Loaded after the read: its audit record's commit expires what was loaded before.
    standards = [s for block in project.blocks for s in block.standards]
    cells = {(tenant_id, standard_id): status for tenant_id, standard_id, status in rows}
    return AdoptionMatrix(list(project.region.tenants), standards, cells)
