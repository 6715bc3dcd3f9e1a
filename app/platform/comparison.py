"""The platform operator's national comparison: the regions side by side, their cities'
adoption of standards summed per thematic block and the medians of the cooperation benchmark,
each through a narrow SECURITY DEFINER function (app/tenancy/before_scope.py), so no city's
row is ever readable to the operator's request."""

from __future__ import annotations

from dataclasses import dataclass, field

from babel import Locale
from sqlalchemy import func, select

from app.extensions import db
from app.regions.benchmark import MEASURES, formatters
from app.regions.models import StandardsProject, ThematicBlock
from app.tenancy import before_scope, clock
from app.tenancy.before_scope import RegionMedian
from app.tenancy.models import VOIVODESHIP, Region, Tenant, in_name_order


@dataclass(frozen=True)
class Adoption:
    """Accepted adoptions among a number of cells (cities × standards)."""

    adopted: int = 0
    not_applicable: int = 0
    cells: int = 0

    @property
    def share(self) -> float | None:
        """As the region's matrix counts it: adopted among the cells where the standard
        applies; None when none applies."""
        applicable = self.cells - self.not_applicable
        return self.adopted / applicable if applicable else None

    def __add__(self, other: Adoption) -> Adoption:
        return Adoption(
            self.adopted + other.adopted,
            self.not_applicable + other.not_applicable,
            self.cells + other.cells,
        )


@dataclass(frozen=True)
class BlockAdoption:
    project: StandardsProject
    block: ThematicBlock
    adoption: Adoption


@dataclass(frozen=True)
class RegionComparison:
    region: Region
    cities: int
    blocks: list[BlockAdoption]
    # {measure key: the benchmark's median over the region's municipalities}; a measure
    # none of them has data for is absent ("no data", never zero)
    medians: dict[str, RegionMedian] = field(default_factory=dict)

    @property
    def adoption(self) -> Adoption | None:
        """Over every block of the region's projects; None without a project."""
        return sum((b.adoption for b in self.blocks), Adoption()) if self.blocks else None


def benchmark_years() -> tuple[list[int], int]:
    """The years the comparison of the benchmark offers, this one first, back to the earliest
    dated record of any city; and the one shown without a choice: the latest programme year
    begun, as in a region's benchmark."""
    this_year = clock.today().year
    first, latest = before_scope.benchmark_years(this_year)
    return list(range(this_year, min(first or this_year, this_year) - 1, -1)), latest or this_year


def national_comparison(year: int | None = None) -> list[RegionComparison]:
    """Every region with its number of local governments (the marshal office, shown apart
    everywhere, is not one of them), its adoption and, given a year, the medians of the
    benchmark in that year, in a constant number of queries however many regions, cities and
    projects there are."""
    regions = db.session.scalars(select(Region).order_by(*in_name_order(Region))).all()
    cities = dict(
        db.session.execute(
            select(Tenant.region_id, func.count())
            .where(Tenant.region_id.is_not(None), Tenant.kind != VOIVODESHIP)
            .group_by(Tenant.region_id)
        ).all()
    )
    projects = db.session.scalars(
        select(StandardsProject).order_by(StandardsProject.starts_on, StandardsProject.id)
    ).all()
    summed = before_scope.adoption_by_block()
    blocks_of: dict[int, list[BlockAdoption]] = {region.id: [] for region in regions}
    for project in projects:
        in_region = cities.get(project.region_id, 0)
        for block in project.blocks:
            adopted, not_applicable = summed.get(block.id, (0, 0))
            cells = in_region * len(block.standards)
            blocks_of[project.region_id].append(
                BlockAdoption(project, block, Adoption(adopted, not_applicable, cells))
            )
    medians = before_scope.benchmark_medians(year, clock.today()) if year is not None else {}
    return [
        RegionComparison(
            region, cities.get(region.id, 0), blocks_of[region.id], medians.get(region.id, {})
        )
        for region in regions
    ]


def shown_medians(comparison: RegionComparison, locale: Locale) -> list[tuple[str, int] | None]:
    """The region's medians as text in `locale`, in the order of the benchmark's measures,
    each with the number of municipalities it is over; None: no data. A yes/no measure shows
    the share of municipalities where it is "yes" (a median of yes and no says little)."""
    formats = formatters(locale)
    shown: list[tuple[str, int] | None] = []
    for measure in MEASURES:
        median = comparison.medians.get(measure.key)
        if median is None:
            shown.append(None)
        elif measure.kind == "yes_no":
            shown.append((formats["share"](median.mean), median.cities))
        else:
            shown.append((formats[measure.kind](median.median), median.cities))
    return shown
