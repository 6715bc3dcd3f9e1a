"""The cities of a region as the regional pages show them: read as plain values, not tenants."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.tenancy.models import Tenant


@dataclass(frozen=True)
class City:
    id: int
    slug: str
    names: dict[str, str]
    population: int | None

    def name(self, locale: str = "pl") -> str:
        return self.names.get(locale) or self.names["pl"]


def cities_of(region_id: int) -> list[City]:
    """The region's cities by slug; a region of 300 is read in one small query."""
    rows = db.session.execute(
        select(Tenant.id, Tenant.slug, Tenant.names, Tenant.population)
        .where(Tenant.region_id == region_id)
        .order_by(Tenant.slug)
    )
    return [City(*row) for row in rows]
