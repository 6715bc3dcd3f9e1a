"""A city's programme cycles: the blueprint, its labels and its answer to a frozen
programme. Each sub-feature's pages live in a module of their own."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from app.programmes import services
from app.programmes.catalogue import (
    AREA_LABELS,
    CYCLE,
    ELEMENTS,
    KIND_LABELS,
    MILESTONE_LABELS,
    STAGE_LABELS,
)

blueprint = Blueprint("programmes", __name__, template_folder="../templates")


@blueprint.errorhandler(services.ProgrammeFrozen)
def frozen(error: services.ProgrammeFrozen):
    """Every route that would change an adopted text ends here: 409, saying why and how
    to amend it."""
    programme_id = request.view_args.get("programme_id") if request.view_args else None
    return render_template(
        "programmes/frozen.html", message=str(error), programme_id=programme_id
    ), 409


@blueprint.context_processor
def labels() -> dict:
    return {
        "version_labels": services.VERSION_LABELS,
        "stage_labels": STAGE_LABELS,
        "kind_labels": KIND_LABELS,
        "cycle": CYCLE,
        "elements": ELEMENTS,
        "area_labels": AREA_LABELS,
        "milestone_labels": MILESTONE_LABELS,
    }


# Each sub-feature's module adds its routes to the blueprint.
import app.programmes.views.consultation  # noqa: E402
import app.programmes.views.cycle  # noqa: E402
import app.programmes.views.proposals  # noqa: E402
import app.programmes.views.reporting  # noqa: E402, F401
