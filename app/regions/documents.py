"""The adoption matrix as a document: CSV, XLSX or PDF, for the region's coordinator."""

from __future__ import annotations

from flask import g
from flask_babel import gettext as _

from app.accounts.models import User
from app.exports import Document, Percent, builder
from app.extensions import db
from app.i18n import when
from app.regions.matrix import adoption_matrix
from app.regions.models import ADOPTION_LABELS, StandardsProject
from app.tenancy import clock


@builder("adoption_matrix", formats=("xlsx", "csv", "pdf"))
def adoption_matrix_document(
    project_id: int, block_id: int | None = None, status: str | None = None
) -> tuple[Document, str]:
    project = db.session.get_one(StandardsProject, project_id)
    user = db.session.get(User, g.get("actor_id"))
    if user is None or not user.coordinates(project.region_id):
        raise PermissionError("only the region's coordinator exports its adoption matrix")
    matrix = adoption_matrix(project, block_id=block_id, status=status)
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
        [row.city.name(), *(labels[s] for s in row.statuses), _percent(row.share)]
        for row in matrix.rows
    ]
    document.add_table(headers, rows, caption=_("Adoption by city"))
    document.add_table(
        [_("Thematic block"), _("Share adopted")],
        [[f"{b.numeral}. {b.title}", _percent(matrix.block_shares[b.id])] for b in matrix.blocks],
        caption=_("Adoption by block"),
    )
    return document, f"wdrozenie-standardow-{project.id}"


def _percent(value: float | None) -> Percent | str:
    return _("no data") if value is None else Percent(value)
