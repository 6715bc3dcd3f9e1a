from __future__ import annotations

from flask import Blueprint, g, render_template

from app.accounts.permissions import COORDINATOR, has_role
from app.regions.services import activity_by_city

blueprint = Blueprint("regions", __name__, template_folder="templates")


@blueprint.get("/regions/<region_slug>/")
def overview():
    is_coordinator = has_role(COORDINATOR)
    activity = activity_by_city(g.region) if is_coordinator else {}
    return render_template(
        "regions/overview.html",
        region=g.region,
        is_coordinator=is_coordinator,
        activity=activity,
    )
