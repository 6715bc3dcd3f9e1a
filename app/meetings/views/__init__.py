"""A city's meetings: the blueprint, the Markdown filter and the labels of its templates. Each
sub-feature's pages live in a module of their own."""

from __future__ import annotations

from flask import Blueprint

from app.markdown import render as markdown
from app.meetings.catalogue import MEMBER_ROLE_LABELS, QUADRANT_LABELS, TEAM_KIND_LABELS

blueprint = Blueprint("meetings", __name__, template_folder="../templates")


@blueprint.app_template_filter("markdown")
def markdown_filter(text: str | None):
    return markdown(text)


@blueprint.context_processor
def labels() -> dict:
    return {
        "quadrant_labels": QUADRANT_LABELS,
        "team_kind_labels": TEAM_KIND_LABELS,
        "member_role_labels": MEMBER_ROLE_LABELS,
    }


# Each sub-feature's module adds its routes to the blueprint.
import app.meetings.views.decisions  # noqa: E402
import app.meetings.views.events  # noqa: E402
import app.meetings.views.minutes  # noqa: E402
import app.meetings.views.teams  # noqa: E402, F401
