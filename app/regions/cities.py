"""The cities of a region as the regional pages show them: read as plain values, not tenants.

"Cities" are the region's municipalities and powiats, the local governments its standards
projects and benchmark compare. The voivodeship's own self-government (its marshal office)
is a tenant of the region too, but it is the one that runs the comparison, not one of the
compared: it is listed apart and kept out of the shares and medians."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.tenancy.models import VOIVODESHIP, Tenant, in_name_order


@dataclass(frozen=True)
class City:
    id: int
    slug: str
    names: dict[str, str]
    population: int | None

    def name(self, locale: str = "pl") -> str:
        return self.names.get(locale) or self.names["pl"]


def cities_of(region_id: int) -> list[City]:
    """The region's cities by name; a region of 300 is read in one small query."""
    rows = db.session.execute(
        select(Tenant.id, Tenant.slug, Tenant.names, Tenant.population)
        .where(Tenant.region_id == region_id, Tenant.kind != VOIVODESHIP)
        .order_by(*in_name_order(Tenant))
    )
    return [City(*row) for row in rows]


def self_government_of(region_id: int) -> City | None:
    """The voivodeship's own tenant, read like a city, if it is in Razem."""
    row = db.session.execute(
        select(Tenant.id, Tenant.slug, Tenant.names, Tenant.population).where(
            Tenant.region_id == region_id, Tenant.kind == VOIVODESHIP
        )
    ).first()
    return City(*row) if row else None
