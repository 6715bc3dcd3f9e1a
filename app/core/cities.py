"""The landing page's way to a city: each region with the number of its cities (listed in full
only while the region is small), and a search of all cities by name, one page at a time. So
the page costs the same few queries and stays the same size however many cities join."""

from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select

from app.extensions import db
from app.organisations.models import fold
from app.search import has_word
from app.tenancy.models import VOIVODESHIP, Region, Tenant, in_name_order

# A region with more cities than this shows its count and the search instead of its list.
LISTED_IN_FULL = 12
RESULTS_PAGE_SIZE = 25


@dataclass
class RegionCard:
    region: Region
    city_count: int
    cities: list[Tenant]  # its municipalities and powiats; empty when too many to list
    self_government: Tenant | None = None  # the marshal office, shown apart


def region_cards() -> list[RegionCard]:
    """Regions that have local governments, with their counts, the local governments of the
    small ones, and each one's own self-government (its marshal office) apart."""
    local = Tenant.kind != VOIVODESHIP
    counted = db.session.execute(
        select(Region, func.count(Tenant.id).filter(local))
        .join(Tenant, Tenant.region_id == Region.id)
        .group_by(Region.id)
        .order_by(*in_name_order(Region))
    ).all()
    small = [region.id for region, count in counted if count <= LISTED_IN_FULL]
    cities: dict[int, list[Tenant]] = {}
    own: dict[int, Tenant] = {}
    listed = (
        select(Tenant)
        .where(or_(Tenant.region_id.in_(small), ~local))
        .order_by(*in_name_order(Tenant))
    )
    for tenant in db.session.scalars(listed):
        if tenant.is_voivodeship:
            own[tenant.region_id] = tenant
        else:
            cities.setdefault(tenant.region_id, []).append(tenant)
    return [
        RegionCard(region, count, cities.get(region.id, []), own.get(region.id))
        for region, count in counted
    ]


def cities_named(query: str, page: int) -> Pagination:
    """Cities whose name (in Polish, as the city calls itself) contains every word asked for,
    whatever their case and diacritics: "zyrardow" finds Żyrardów."""
    found = select(Tenant).order_by(*in_name_order(Tenant))
    for word in fold(query).split():
        found = found.where(has_word(Tenant.names["pl"].as_string(), word))
    return db.paginate(found, page=page, per_page=RESULTS_PAGE_SIZE, error_out=False)
