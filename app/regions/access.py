"""Who may see and do what with a region's standards projects and a city's adoption of them.

Pages, the API and templates ask here. Projects and standards are public knowledge; a
project's adoption matrix and the region's cooperation benchmark are the coordinator's until
they make them public; writing projects and reviewing cities is the coordinator's. A city's
own adoption rows are its staff's to edit and its viewers' to read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.interfaces import ORMOption

from app.accounts.models import Role
from app.accounts.permissions import (
    COORDINATOR,
    authorised,
    current_tenant_role,
    has_role,
    is_staff,
    register_policy,
)
from app.extensions import db, login_manager
from app.regions.models import Adoption, Standard, StandardsProject
from app.tenancy.models import Region, Tenant

PROJECT_RULES: dict[str, Callable[[StandardsProject | None], bool]] = {
    "view": lambda project: project is not None and project.region_id == g.region.id,
    "view_matrix": lambda project: has_role(COORDINATOR) or bool(project and project.matrix_public),
    # write projects and standards, review cities, export, the benchmark, set target dates
    "manage": lambda project: has_role(COORDINATOR),
    # see the cities' declarations awaiting review in the matrix (the public sees accepted rows)
    "view_claims": lambda project: has_role(COORDINATOR),
    # open a city's row from the matrix: its evidence, history and review comments
    "view_city_rows": lambda project: has_role(COORDINATOR),
}

# The region as the current request resolved it (g.region): another region's answers 404
# before any rule is asked.
REGION_RULES: dict[str, Callable[[Region], bool]] = {
    "view_benchmark": lambda region: has_role(COORDINATOR) or region.benchmark_public,
    # export the benchmark, open it to everyone or keep it for the coordinator
    "manage_benchmark": lambda region: has_role(COORDINATOR),
}

ADOPTION_RULES: dict[str, Callable[[Adoption | None], bool]] = {
    "view": lambda adoption: is_staff() or current_tenant_role() == Role.VIEWER,
    "edit": lambda adoption: is_staff(),
    # the city hall's own notes, on the form its staff edit (a viewer's pages never show them)
    "view_notes": lambda adoption: is_staff(),
}


register_policy(lambda action, project: PROJECT_RULES[action](project), StandardsProject)
register_policy(lambda action, adoption: ADOPTION_RULES[action](adoption), Adoption)
register_policy(lambda action, region: REGION_RULES[action](region), Region)


def hidden_adoption_fields() -> frozenset[str]:
    """The fields of a city's adoption row the current user does not read."""
    return frozenset() if ADOPTION_RULES["view_notes"](None) else frozenset({"notes"})


def sees_claims(project: StandardsProject) -> bool:
    return PROJECT_RULES["view_claims"](project)


def project_for(
    project_id: int, action: str = "view", options: Sequence[ORMOption] = ()
) -> StandardsProject:
    """The region's project (404 for another region's), if the person may `action` it."""
    return authorise(authorised(StandardsProject, project_id, options=options), action)


def authorise(project: StandardsProject, action: str) -> StandardsProject:
    """403 when the person may not `action` the project; an anonymous visitor is asked to
    log in first, as logging in may be all that is missing."""
    _refuse_unless(PROJECT_RULES[action](project))
    return project


def region_for(action: str) -> Region:
    """The current region, if the person may `action` it (log in first, else 403), as a
    project's matrix: the benchmark is the coordinator's until they make it public."""
    _refuse_unless(REGION_RULES[action](g.region))
    return g.region


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        abort(403)


def city_of_region(city_slug: str) -> Tenant:
    """A city of the current region by its slug (404 for another region's or none)."""
    city = db.session.scalar(
        select(Tenant).where(Tenant.slug == city_slug, Tenant.region_id == g.region.id)
    )
    return city or abort(404)


def standard_of_project(project: StandardsProject, standard_id: int) -> Standard:
    """One of the project's standards (404 for any other)."""
    found = (s for block in project.blocks for s in block.standards if s.id == standard_id)
    return next(found, None) or abort(404)
