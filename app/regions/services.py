"""Regional figures across the region's cities, read only through the audited door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.tenancy.cross_tenant import reading_region
from app.tenancy.models import Region


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
