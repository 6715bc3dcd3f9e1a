"""The region's documents for its coordinator: the adoption matrix (CSV, XLSX or PDF) and the
cooperation benchmark (PDF or XLSX)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import g
from flask_babel import gettext as _

from app.accounts.models import User
from app.exports import Cell, Document, Money, Percent, Toned, builder
from app.extensions import db
from app.i18n import when
from app.regions.benchmark import MEASURES, Measure, benchmark
from app.regions.matrix import Cell as MatrixCell
from app.regions.matrix import adoption_matrix
from app.regions.models import ADOPTION_LABELS, REVIEW_LABELS, AdoptionStatus, StandardsProject
from app.tenancy import clock
from app.tenancy.models import Region

# Each status's ground and mark, as the matrix page shows them; the mark and the label say
# what the colour does (a grey printout, a reader who does not tell the colours apart).
STATUS_LOOK = {
    AdoptionStatus.ADOPTED: ("#d8efd9", "✓"),
    AdoptionStatus.IN_PROGRESS: ("#ffe8b0", "◐"),
    AdoptionStatus.PLANNED: ("#dfe7f3", "○"),
    AdoptionStatus.NOT_STARTED: ("#ffffff", "–"),
    AdoptionStatus.NOT_APPLICABLE: ("#eeeeee", "/"),
}


def _coordinator_of(region_id: int) -> None:
    user = db.session.get(User, g.get("actor_id"))
    if user is None or not user.coordinates(region_id):
        raise PermissionError("only the region's coordinator exports its documents")


@builder("adoption_matrix", formats=("xlsx", "csv", "pdf"))
def adoption_matrix_document(
    project_id: int,
    block_id: int | None = None,
    status: str | None = None,
    include_claims: bool = False,
) -> tuple[Document, str]:
    project = db.session.get_one(StandardsProject, project_id)
    _coordinator_of(project.region_id)
    matrix = adoption_matrix(
        project, block_id=block_id, status=status, include_claims=include_claims
    )
    document = Document(
        project.title,
        landscape=True,
        subtitle=_(
            "Adoption of the standards in the cities of the region, as of %(date)s",
            date=when(clock.today()),
        ),
    )
    headers = [_("City"), *(s.title for s in matrix.standards), _("Share adopted")]
    rows = [
        [row.city.name(), *(_cell(cell) for cell in row.cells), _percent(row.share)]
        for row in matrix.rows
    ]
    document.add_table(headers, rows, caption=_("Adoption by city"))
    document.add_table(
        [_("Thematic block"), _("Share adopted")],
        [[f"{b.numeral}. {b.title}", _percent(matrix.block_shares[b.id])] for b in matrix.blocks],
        caption=_("Adoption by block"),
    )
    # After the tables: a CSV holds the first table alone, and that is the matrix.
    document.add_table(
        [str(ADOPTION_LABELS[status]) for status in STATUS_LOOK],
        [[Toned(mark, colour) for colour, mark in STATUS_LOOK.values()]],
        caption=_("Legend"),
    )
    return document, f"wdrozenie-standardow-{project.id}"


def _cell(cell: MatrixCell) -> Toned:
    """A city's cell: the status's mark and label on its colour, and in words what the
    matrix page marks besides: a claim awaiting review, a missed target date."""
    colour, mark = STATUS_LOOK[AdoptionStatus(cell.status)]
    parts = [str(ADOPTION_LABELS[cell.status])]
    if cell.review:
        parts.append(f"({REVIEW_LABELS[cell.review]})")
    if cell.overdue:
        parts.append(f"({_('past the target date')})")
    return Toned(" ".join(parts), colour, mark)


def _percent(value: float | None) -> Percent | str:
    return _("no data") if value is None else Percent(value)


@builder("benchmark", formats=("pdf", "xlsx"))
def benchmark_document(region_id: int, year: int) -> tuple[Document, str]:
    region = db.session.get_one(Region, region_id)
    _coordinator_of(region.id)
    figures = benchmark(region, year)
    document = Document(
        _("Cooperation benchmark %(year)s", year=figures.year),
        landscape=True,
        subtitle=_(
            "%(region)s: figures computed from what the cities record in Razem, as of %(date)s",
            region=region.name(),
            date=when(figures.computed_at.date()),
        ),
    )
    document.add_table(
        [_("City"), *(str(m.label) for m in MEASURES)],
        [
            [city.city.name(), *(_figure(m, city.values.get(m.key)) for m in MEASURES)]
            for city in figures.cities
        ],
        caption=_("Figures by city"),
    )
    document.heading(_("How each figure is computed"))
    document.bullets([f"{m.label}: {m.explanation}" for m in MEASURES])
    return document, f"benchmark-{region.slug}-{figures.year}"


def _figure(measure: Measure, value: Any) -> Cell:
    """A figure as the spreadsheet keeps it: a share as a percent, money as złoty, a number
    as a number; yes and no, and no data, in words."""
    if value is None:
        return _("no data")
    if measure.kind == "yes_no":
        return _("yes") if value else _("no")
    if measure.kind == "share":
        return Percent(value)
    if measure.kind == "money":
        return Money(Decimal(str(value)).quantize(Decimal("0.01")))
    return round(value, 1)  # as the page shows it: 0.7 organisations per 10,000 residents
