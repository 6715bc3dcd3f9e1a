"""Who may see and do what with a region's standards projects and a city's adoption of them.

Pages, the API and templates ask here. Projects and standards are public knowledge; the
adoption matrix is the coordinator's until they make it public; writing projects and
reviewing cities is the coordinator's. A city's own adoption rows are its staff's to edit
and its viewers' to read.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, g
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import (
    COORDINATOR,
    authorised,
    current_tenant_role,
    has_role,
    is_staff,
    register_policy,
)
from app.extensions import login_manager
from app.regions.models import Adoption, StandardsProject

PROJECT_RULES: dict[str, Callable[[StandardsProject | None], bool]] = {
    "view": lambda project: project is not None and project.region_id == g.region.id,
    "view_matrix": lambda project: has_role(COORDINATOR) or bool(project and project.matrix_public),
    # write projects and standards, review cities, export, the benchmark
    "manage": lambda project: has_role(COORDINATOR),
}

ADOPTION_RULES: dict[str, Callable[[Adoption | None], bool]] = {
    "view": lambda adoption: is_staff() or current_tenant_role() == Role.VIEWER,
    "edit": lambda adoption: is_staff(),
}


register_policy(lambda action, project: PROJECT_RULES[action](project), StandardsProject)
register_policy(lambda action, adoption: ADOPTION_RULES[action](adoption), Adoption)


def project_for(project_id: int, action: str = "view") -> StandardsProject:
    """The region's project (404 for another region's), if the person may `action` it."""
    return authorise(authorised(StandardsProject, project_id), action)


def authorise(project: StandardsProject, action: str) -> StandardsProject:
    """403 when the person may not `action` the project; an anonymous visitor is asked to
    log in first, as logging in may be all that is missing."""
    if not PROJECT_RULES[action](project):
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        abort(403)
    return project
