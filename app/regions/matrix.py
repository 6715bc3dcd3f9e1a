"""The coordinator's matrix: every city of the region × every standard of a project."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import String, case, cast, func, select

from app.caching import remembered
from app.extensions import db
from app.regions.cities import City, cities_of
from app.regions.models import (
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    Standard,
    StandardsProject,
    ThematicBlock,
)
from app.tenancy.cross_tenant import reading_region

NOT_STARTED = AdoptionStatus.NOT_STARTED.value
ADOPTED = AdoptionStatus.ADOPTED.value
NOT_APPLICABLE = AdoptionStatus.NOT_APPLICABLE.value
RECORDED_ADOPTION_MAX_AGE = 24 * 3600  # a new revision replaces it sooner


@dataclass(frozen=True)
class ProgressPoint:
    month: date
    adopted: int


@dataclass(frozen=True)
class CityRow:
    city: City
    statuses: list[str]  # in the order of the matrix's standards
    share: float | None


@dataclass(frozen=True)
class AdoptionMatrix:
    """Cities × standards with every share worked out once, in one pass over the cells."""

    blocks: list[ThematicBlock]
    standards: list[Standard]
    rows: list[CityRow]
    standard_shares: list[float | None]  # in the order of `standards`
    block_shares: dict[int, float | None]
    total_share: float | None
    progress: list[ProgressPoint]


def _share(adopted: int, not_applicable: int, cells: int) -> float | None:
    """Share adopted among the cells where the standard applies; None when none applies."""
    applicable = cells - not_applicable
    return adopted / applicable if applicable else None


def adoption_matrix(
    project: StandardsProject, block_id: int | None = None, status: str | None = None
) -> AdoptionMatrix:
    """Read every city's adoption of the project; the caller has checked who may see it.

    `block_id` keeps one thematic block's standards; `status` keeps the cities that have at
    least one of those standards in that status.
    """
    with reading_region(project.region, purpose=f"adoption matrix of project {project.id}"):
        by_city, progress = _recorded_adoption(project)
    blocks = [b for b in project.blocks if block_id in (None, b.id)]
    standards = [s for block in blocks for s in block.standards]
    standard_ids = [s.id for s in standards]
    rows = []
    for city in cities_of(project.region_id):
        own = by_city.get(city.id, {})
        statuses = [own.get(standard_id, NOT_STARTED) for standard_id in standard_ids]
        if not status or status in statuses:
            rows.append(CityRow(city, statuses, _share_of(statuses)))
    return _with_shares(blocks, standards, rows, progress)


def _recorded_adoption(
    project: StandardsProject,
) -> tuple[dict[int, dict[int, str]], list[ProgressPoint]]:
    """Every city's statuses and the progress, kept until a city changes its adoption of one
    of the project's standards (which gives the project a new revision)."""
    in_project = ThematicBlock.project_id == project.id
    return remembered(
        f"adoption-matrix/{project.id}/{project.adoption_revision}",
        lambda: (_statuses_by_city(in_project), _monthly_progress(in_project)),
        timeout=RECORDED_ADOPTION_MAX_AGE,
    )


def _statuses_by_city(in_project) -> dict[int, dict[int, str]]:
    """{tenant id: {standard id: status}}, read as one line per city ("7=adopted,9=planned"):
    a third faster than fetching a region's 12,000 cells a row each."""
    cell = cast(Adoption.standard_id, String) + "=" + Adoption.status  # || on both databases
    cells = func.aggregate_strings(cell, ",")
    rows = db.session.execute(
        select(Adoption.tenant_id, cells)
        .join(Standard)
        .join(ThematicBlock)
        .where(in_project)
        .group_by(Adoption.tenant_id)
    )
    by_city = {}
    for tenant_id, line in rows:
        pairs = (cell.split("=") for cell in line.split(","))
        by_city[tenant_id] = {int(standard_id): status for standard_id, status in pairs}
    return by_city


def _share_of(statuses: list[str]) -> float | None:
    return _share(statuses.count(ADOPTED), statuses.count(NOT_APPLICABLE), len(statuses))


def _with_shares(blocks, standards, rows, progress) -> AdoptionMatrix:
    """Shares per standard, per block and overall, counted column by column."""
    columns = list(zip(*(row.statuses for row in rows), strict=True)) or [()] * len(standards)
    counts = [(c.count(ADOPTED), c.count(NOT_APPLICABLE), len(c)) for c in columns]
    by_block: dict[int, list[int]] = {b.id: [0, 0, 0] for b in blocks}
    for standard, column_counts in zip(standards, counts, strict=True):
        totals = by_block[standard.block_id]
        for i, value in enumerate(column_counts):
            totals[i] += value
    overall = [sum(c[i] for c in counts) for i in range(3)]
    return AdoptionMatrix(
        blocks=blocks,
        standards=standards,
        rows=rows,
        standard_shares=[_share(*c) for c in counts],
        block_shares={block_id: _share(*totals) for block_id, totals in by_block.items()},
        total_share=_share(*overall),
        progress=progress,
    )


def _monthly_progress(in_project) -> list[ProgressPoint]:
    """How many cells stood at "adopted" at the end of each month with a change: each change
    adds one if it makes a cell adopted and takes one away if it ends an adoption."""
    was_adopted = func.lag(AdoptionChange.status).over(
        partition_by=AdoptionChange.adoption_id,
        order_by=(AdoptionChange.created_at, AdoptionChange.id),
    )
    changes = (
        select(
            AdoptionChange.created_at,
            (
                case((AdoptionChange.status == ADOPTED, 1), else_=0)
                - case((was_adopted == ADOPTED, 1), else_=0)
            ).label("delta"),
        )
        .join(Adoption)
        .join(Standard)
        .join(ThematicBlock)
        .where(in_project)
        .subquery()
    )
    month = _month_of(changes.c.created_at)
    rows = db.session.execute(
        select(month, func.sum(changes.c.delta)).group_by(month).order_by(month)
    ).all()
    adopted = 0
    points = []
    for started, delta in rows:
        adopted += delta
        points.append(ProgressPoint(_as_date(started), adopted))
    return points


def _month_of(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("month", column)
    return func.strftime("%Y-%m-01", column)


def _as_date(value: datetime | str) -> date:
    return value.date() if isinstance(value, datetime) else date.fromisoformat(value[:10])
