"""The platform operator's national comparison: the regions side by side, their cities'
adoption of standards summed per thematic block through a narrow SECURITY DEFINER function
(app/tenancy/before_scope.py), so no city's row is ever readable to the operator's request."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.regions.models import StandardsProject, ThematicBlock
from app.tenancy import before_scope
from app.tenancy.models import VOIVODESHIP, Region, Tenant


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

    @property
    def adoption(self) -> Adoption | None:
        """Over every block of the region's projects; None without a project."""
        return sum((b.adoption for b in self.blocks), Adoption()) if self.blocks else None


def national_comparison() -> list[RegionComparison]:
    """Every region with its number of local governments (the marshal office, shown apart
    everywhere, is not one of them) and its adoption, in a constant number of
    queries however many regions, cities and projects there are."""
    regions = db.session.scalars(select(Region).order_by(Region.slug)).all()
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
    return [
        RegionComparison(region, cities.get(region.id, 0), blocks_of[region.id])
        for region in regions
    ]
