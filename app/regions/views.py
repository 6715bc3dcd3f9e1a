from __future__ import annotations

from flask import Blueprint, g, render_template
from sqlalchemy import select

from app.accounts.permissions import COORDINATOR, get_or_404, has_role, require
from app.extensions import db
from app.regions.models import ADOPTION_LABELS, AdoptionStatus, StandardsProject
from app.regions.services import activity_by_city, adoption_matrix

blueprint = Blueprint("regions", __name__, template_folder="templates")


@blueprint.get("/regions/<region_slug>/")
def overview():
    is_coordinator = has_role(COORDINATOR)
    activity = activity_by_city(g.region) if is_coordinator else {}
    projects = db.session.scalars(
        select(StandardsProject)
        .where(StandardsProject.region_id == g.region.id)
        .order_by(StandardsProject.starts_on.desc())
    ).all()
    return render_template(
        "regions/overview.html",
        region=g.region,
        is_coordinator=is_coordinator,
        activity=activity,
        projects=projects,
    )


@blueprint.get("/regions/<region_slug>/projects/<int:project_id>/")
def project(project_id: int):
    """The project and its standards are public knowledge; adoption is for the coordinator."""
    return render_template(
        "regions/project.html",
        region=g.region,
        project=_project_of_region(project_id),
        is_coordinator=has_role(COORDINATOR),
    )


@blueprint.get("/regions/<region_slug>/projects/<int:project_id>/adoption")
@require(COORDINATOR)
def matrix(project_id: int):
    project = _project_of_region(project_id)
    return render_template(
        "regions/matrix.html",
        region=g.region,
        project=project,
        matrix=adoption_matrix(project),
        labels=ADOPTION_LABELS,
        statuses=list(AdoptionStatus),
    )


def _project_of_region(project_id: int) -> StandardsProject:
    return get_or_404(StandardsProject, project_id, region_id=g.region.id)
