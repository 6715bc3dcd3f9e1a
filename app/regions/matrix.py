"""The coordinator's matrix: every city of the region × every standard of a project."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import String, and_, case, cast, func, inspect, select
from sqlalchemy.orm import lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.caching import remembered
from app.extensions import db
from app.regions.cities import City, cities_of
from app.regions.models import (
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    ReviewStatus,
    Standard,
    StandardsProject,
    ThematicBlock,
)
from app.tenancy import clock
from app.tenancy.cross_tenant import reading_region

NOT_STARTED = AdoptionStatus.NOT_STARTED.value
ADOPTED = AdoptionStatus.ADOPTED.value
NOT_APPLICABLE = AdoptionStatus.NOT_APPLICABLE.value
RECORDED_ADOPTION_MAX_AGE = 24 * 3600  # a new revision replaces it sooner
PENDING = ReviewStatus.PENDING.value
RETURNED = ReviewStatus.RETURNED.value
# What a share counts in place of a city's declaration the coordinator has not accepted:
# neither adopted nor "not applicable".
UNACCEPTED = "unaccepted"
DONE = (ADOPTED, NOT_APPLICABLE)


class Cell(NamedTuple):
    """What one cell shows: the status, the review it awaits or was sent back with (None
    once accepted), and whether the city is past the standard's target date. A tuple: a
    region's 12,000 cells are made, hashed and compared on every read of the matrix."""

    status: str
    review: str | None = None
    overdue: bool = False


@dataclass(frozen=True)
class ProgressPoint:
    month: date
    adopted: int


@dataclass(frozen=True)
class CityRow:
    city: City
    cells: list[Cell]  # in the order of the matrix's standards
    counted: list[str]  # the statuses the shares count
    share: float | None

    @property
    def statuses(self) -> list[str]:
        return [cell.status for cell in self.cells]

    @property
    def overdue(self) -> bool:
        return any(cell.overdue for cell in self.cells)


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
    block_progress: dict[int, list[ProgressPoint]]  # block id -> its progress


def _share(adopted: int, not_applicable: int, cells: int) -> float | None:
    """Share adopted among the cells where the standard applies; None when none applies."""
    applicable = cells - not_applicable
    return adopted / applicable if applicable else None


def adoption_matrix(
    project: StandardsProject,
    block_id: int | None = None,
    status: str | None = None,
    include_claims: bool = False,
    accepted_only: bool = False,
) -> AdoptionMatrix:
    """Read every city's adoption of the project; the caller has checked who may see it.

    `block_id` keeps one thematic block's standards; `status` keeps the cities that have at
    least one of those standards in that status. Shares count what the coordinator accepted,
    and with `include_claims` the declarations awaiting review too; `accepted_only` (the
    public matrix) shows a declaration not yet accepted as if nothing were recorded.
    """
    with reading_adoption(project):
        return matrix_as_read(project, block_id, status, include_claims, accepted_only)


def reading_adoption(project: StandardsProject) -> AbstractContextManager[tuple[int, ...]]:
    """Every city's adoption of the project may be read within: on record when the region's
    coordinator reads it."""
    return reading_region(project.region, purpose=f"adoption matrix of project {project.id}")


def matrix_as_read(
    project: StandardsProject,
    block_id: int | None = None,
    status: str | None = None,
    include_claims: bool = False,
    accepted_only: bool = False,
) -> AdoptionMatrix:
    """`adoption_matrix` for a caller already `reading_adoption(project)`."""
    by_city, progress, block_progress = _recorded_adoption(project)
    blocks = [b for b in project.blocks if block_id in (None, b.id)]
    standards = [s for block in _with_standards(blocks) for s in block.standards]
    today = clock.today()
    targets = [
        s.target_date if s.target_date and s.target_date < today else None for s in standards
    ]
    standard_ids = [s.id for s in standards]
    nothing: Recorded = (NOT_STARTED, None)
    rows = []
    for city in cities_of(project.region_id):
        own = by_city.get(city.id, {})
        recorded = [own.get(standard_id, nothing) for standard_id in standard_ids]
        cells, counted = _cells(recorded, targets, include_claims, accepted_only)
        if not status or any(cell.status == status for cell in cells):
            rows.append(CityRow(city, cells, counted, _share_of(counted)))
    return _with_shares(blocks, standards, rows, progress, block_progress)


# A project as its matrix's page loads it on every request: the blocks (its filter), not the
# groups nor the 40 standards with their texts, which only the matrix's body reads when it is
# not kept (_with_standards).
PROJECT_OF_THE_MATRIX = (
    lazyload(StandardsProject.groups),
    selectinload(StandardsProject.blocks).lazyload(ThematicBlock.standards),
)


def _with_standards(blocks: list[ThematicBlock]) -> list[ThematicBlock]:
    """The blocks with their standards, those loaded without them given theirs in one query."""
    unloaded = {b.id: b for b in blocks if "standards" not in inspect(b).dict}
    if unloaded:
        found: dict[int, list[Standard]] = {block_id: [] for block_id in unloaded}
        in_blocks = select(Standard).where(Standard.block_id.in_(unloaded))
        for standard in db.session.scalars(in_blocks.order_by(Standard.position)):
            found[standard.block_id].append(standard)
        for block_id, standards in found.items():
            set_committed_value(unloaded[block_id], "standards", standards)
    return blocks


def _cells(
    recorded: list[tuple[str, str | None]],
    past_targets: list[date | None],
    include_claims: bool,
    accepted_only: bool,
) -> tuple[list[Cell], list[str]]:
    """The cells of one city's row and the statuses its shares count."""
    kinds = [
        _cell(status, review, past_target is not None, include_claims, accepted_only)
        for (status, review), past_target in zip(recorded, past_targets, strict=True)
    ]
    return [cell for cell, _ in kinds], [counted for _, counted in kinds]


@cache
def _cell(
    status: str, review: str | None, past_target: bool, include_claims: bool, accepted_only: bool
) -> tuple[Cell, str]:
    """One cell and the status the shares count for it: a few dozen kinds, each worked out
    once for the region's 12,000 cells (and the same cell each time, cheap to compare)."""
    unreviewed = review in (PENDING, RETURNED) and status != NOT_STARTED
    if unreviewed and accepted_only:
        status, review, unreviewed = NOT_STARTED, None, False
    counts = not unreviewed or (include_claims and review == PENDING)
    counted_status = status if counts else UNACCEPTED
    overdue = past_target and counted_status not in DONE
    return Cell(status, review if unreviewed else None, overdue), counted_status


Recorded = tuple[str, str | None]  # (status, review status) of one cell


def _recorded_adoption(
    project: StandardsProject,
) -> tuple[dict[int, dict[int, Recorded]], list[ProgressPoint], dict[int, list[ProgressPoint]]]:
    """Every city's statuses and the progress, kept until a city changes its adoption of one
    of the project's standards (which gives the project a new revision)."""
    in_project = ThematicBlock.project_id == project.id
    return remembered(
        f"adoption-matrix/v3/{project.id}/{project.adoption_revision}",
        lambda: (
            _statuses_by_city(in_project),
            _monthly_progress(in_project),
            _progress_by_block(in_project),
        ),
        timeout=RECORDED_ADOPTION_MAX_AGE,
    )


def _statuses_by_city(in_project) -> dict[int, dict[int, tuple[str, str | None]]]:
    """{tenant id: {standard id: (status, review status)}}, read as one line per city
    ("7=adopted=accepted,9=planned=pending"): a third faster than fetching a region's 12,000
    cells a row each."""
    review = func.coalesce(Adoption.review_status, "")
    # || on both databases
    cell = cast(Adoption.standard_id, String) + "=" + Adoption.status + "=" + review
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
        triples = (cell.split("=") for cell in line.split(","))
        by_city[tenant_id] = {
            int(standard_id): (status, review or None) for standard_id, status, review in triples
        }
    return by_city


def _share_of(statuses: list[str]) -> float | None:
    return _share(statuses.count(ADOPTED), statuses.count(NOT_APPLICABLE), len(statuses))


def _with_shares(blocks, standards, rows, progress, block_progress) -> AdoptionMatrix:
    """Shares per standard, per block and overall, counted column by column."""
    columns = list(zip(*(row.counted for row in rows), strict=True)) or [()] * len(standards)
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
        block_progress=block_progress,
    )


def _monthly_progress(in_project) -> list[ProgressPoint]:
    """How many cells stood at an accepted "adopted" at the end of each month with a change."""
    return _progress(_monthly_changes(in_project, by_block=False))


def _progress_by_block(in_project) -> dict[int, list[ProgressPoint]]:
    """The same, for each thematic block (a block with no change has no points)."""
    rows_by_block: dict[int, list] = {}
    for block_id, started, delta in _monthly_changes(in_project, by_block=True):
        rows_by_block.setdefault(block_id, []).append((started, delta))
    return {block_id: _progress(rows) for block_id, rows in rows_by_block.items()}


def city_progress(project: StandardsProject, tenant_id: int) -> list[ProgressPoint]:
    """One city's progress in the project; the caller reads within the city or the region."""
    in_city = and_(ThematicBlock.project_id == project.id, Adoption.tenant_id == tenant_id)
    return _progress(_monthly_changes(in_city, by_block=False))


def _progress(rows) -> list[ProgressPoint]:
    adopted = 0
    points = []
    for started, delta in rows:
        adopted += delta
        points.append(ProgressPoint(_as_date(started), adopted))
    return points


def _monthly_changes(where, by_block: bool) -> list:
    """(month, change in adopted cells) in time order, with the block first if `by_block`:
    each change adds one if it makes a cell adopted and takes one away if it ends an adoption.
    A city's declaration counts once the coordinator accepts it (or if recorded before reviews)."""
    accepted = func.coalesce(AdoptionChange.review_status, ReviewStatus.ACCEPTED.value)
    is_adopted = case(
        (and_(AdoptionChange.status == ADOPTED, accepted == ReviewStatus.ACCEPTED.value), 1),
        else_=0,
    )
    was_adopted = func.lag(is_adopted, 1, 0).over(
        partition_by=AdoptionChange.adoption_id,
        order_by=(AdoptionChange.created_at, AdoptionChange.id),
    )
    changes = (
        select(
            ThematicBlock.id.label("block_id"),
            AdoptionChange.created_at,
            (is_adopted - was_adopted).label("delta"),
        )
        .join(Adoption, AdoptionChange.adoption_id == Adoption.id)
        .join(Standard)
        .join(ThematicBlock)
        .where(where)
        .subquery()
    )
    month = _month_of(changes.c.created_at)
    grouped = (changes.c.block_id, month) if by_block else (month,)
    rows = db.session.execute(
        select(*grouped, func.sum(changes.c.delta)).group_by(*grouped).order_by(month)
    ).all()
    return [tuple(row) for row in rows]


def _month_of(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("month", column)
    return func.strftime("%Y-%m-01", column)


def _as_date(value: datetime | str) -> date:
    return value.date() if isinstance(value, datetime) else date.fromisoformat(value[:10])
