"""A region's public adoption matrix as a feed of changes: each city's adoption of a
standard as the coordinator accepted it, which is all the public matrix shows."""

from __future__ import annotations

from flask import abort, g, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.permissions import as_anonymous, can
from app.extensions import db
from app.feeds.atom import LATEST, Entry, Feed
from app.regions.access import project_for
from app.regions.models import (
    ADOPTION_LABELS,
    Adoption,
    AdoptionChange,
    ReviewStatus,
    Standard,
    StandardsProject,
    ThematicBlock,
)
from app.tenancy.cross_tenant import reading_region
from app.tenancy.models import Tenant


def public_project(project_id: int) -> StandardsProject:
    """The region's project whose matrix anyone may read; 404 for any other."""
    project = project_for(project_id)
    with as_anonymous():
        if not can("view_matrix", project):
            abort(404)
    return project


def matrix_changes(project: StandardsProject) -> Feed:
    matrix_page = url_for(
        "regions.matrix", region_slug=g.region.slug, project_id=project.id, _external=True
    )
    return Feed(
        key=f"{g.region.slug}/project/{project.id}/adoption",
        title=_("Adoption of the standards of %(project)s", project=project.title),
        link=matrix_page,
        entries=[
            Entry(
                key=f"{g.region.slug}/adoption-change/{change_id}",
                title=_(
                    "%(city)s: %(standard)s, %(status)s",
                    city=city.name_as("office"),
                    standard=standard,
                    status=ADOPTION_LABELS[status],
                ),
                updated=changed_at,
                link=matrix_page,
            )
            for change_id, status, changed_at, standard, city in _accepted_changes(project)
        ],
        created=project.created_at,
    )


def _accepted_changes(project: StandardsProject) -> list:
    with reading_region(project.region, purpose=f"adoption feed of project {project.id}"):
        return list(
            db.session.execute(
                select(AdoptionChange.id, AdoptionChange.status, AdoptionChange.created_at)
                .add_columns(Standard.title, Tenant)
                .join(Adoption, Adoption.id == AdoptionChange.adoption_id)
                .join(Standard, Standard.id == Adoption.standard_id)
                .join(ThematicBlock, ThematicBlock.id == Standard.block_id)
                .join(Tenant, Tenant.id == Adoption.tenant_id)
                .where(
                    ThematicBlock.project_id == project.id,
                    AdoptionChange.review_status == ReviewStatus.ACCEPTED.value,
                )
                .order_by(AdoptionChange.created_at.desc(), AdoptionChange.id.desc())
                .limit(LATEST)
            ).all()
        )
