"""The adoption matrix as a document: CSV, XLSX or PDF, for the region's coordinator."""

from __future__ import annotations

from flask import g
from flask_babel import format_date, format_percent
from flask_babel import gettext as _

from app.accounts.models import User
from app.exports import Document, builder
from app.extensions import db
from app.programmes.clock import now
from app.regions.matrix import adoption_matrix
from app.regions.models import ADOPTION_LABELS, StandardsProject


@builder("adoption_matrix")
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
        subtitle=_(
            "Adoption of the standards in the cities of the region, as of %(date)s",
            date=format_date(now().date(), "d.MM.yyyy"),
        ),
    )
    headers = [_("City"), *(s.title for s in matrix.standards), _("Share adopted")]
    rows = [
        [
            tenant.name(),
            *(str(ADOPTION_LABELS[matrix.status(tenant, s)]) for s in matrix.standards),
            _percent(matrix.share_for_city(tenant)),
        ]
        for tenant in matrix.tenants
    ]
    document.add_table(headers, rows, caption=_("Adoption by city"))
    document.add_table(
        [_("Thematic block"), _("Share adopted")],
        [[f"{b.numeral}. {b.title}", _percent(matrix.share_for_block(b))] for b in matrix.blocks],
        caption=_("Adoption by block"),
    )
    return document, f"wdrozenie-standardow-{project.id}"


def _percent(value: float | None) -> str:
    return _("no data") if value is None else format_percent(value)
