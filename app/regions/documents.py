"""The adoption matrix as a document: CSV, XLSX or PDF, for the region's coordinator."""

from __future__ import annotations

from flask import g
from flask_babel import gettext as _

from app.accounts.models import User
from app.exports import Document, Percent, builder
from app.extensions import db
from app.i18n import when
from app.regions.matrix import Cell, adoption_matrix
from app.regions.models import ADOPTION_LABELS, REVIEW_LABELS, StandardsProject
from app.tenancy import clock


@builder("adoption_matrix", formats=("xlsx", "csv", "pdf"))
def adoption_matrix_document(
    project_id: int,
    block_id: int | None = None,
    status: str | None = None,
    include_claims: bool = False,
) -> tuple[Document, str]:
    project = db.session.get_one(StandardsProject, project_id)
    user = db.session.get(User, g.get("actor_id"))
    if user is None or not user.coordinates(project.region_id):
        raise PermissionError("only the region's coordinator exports its adoption matrix")
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
    labels = {status: str(label) for status, label in ADOPTION_LABELS.items()}
    rows = [
        [row.city.name(), *(_cell_text(cell, labels) for cell in row.cells), _percent(row.share)]
        for row in matrix.rows
    ]
    document.add_table(headers, rows, caption=_("Adoption by city"))
    document.add_table(
        [_("Thematic block"), _("Share adopted")],
        [[f"{b.numeral}. {b.title}", _percent(matrix.block_shares[b.id])] for b in matrix.blocks],
        caption=_("Adoption by block"),
    )
    return document, f"wdrozenie-standardow-{project.id}"


def _cell_text(cell: Cell, labels: dict[str, str]) -> str:
    """The status, and in words what the matrix page marks: a claim, a missed target date."""
    parts = [labels[cell.status]]
    if cell.review:
        parts.append(f"({REVIEW_LABELS[cell.review]})")
    if cell.overdue:
        parts.append(f"({_('past the target date')})")
    return " ".join(parts)


def _percent(value: float | None) -> Percent | str:
    return _("no data") if value is None else Percent(value)
