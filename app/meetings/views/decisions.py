"""Decisions taken at meetings, followed up: the city's open ones and marking them done."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.accounts.permissions import STAFF, require
from app.core.page_cache import CSRF_TOKEN_PLACE, office_fragment
from app.meetings import services
from app.meetings.access import decision_for
from app.meetings.forms import (
    PublishForm,
)
from app.meetings.views import blueprint
from app.pages import page_number, row_url
from app.tenancy import clock


@blueprint.get("/<tenant_slug>/decisions")
@require(*STAFF)
def decisions():
    page = page_number(request.args.get("page", 1))
    if request.args.get("mine") == "1":  # the person's own: never kept for the office
        content = Markup(_decision_table(current_user.email, page, csrf=generate_csrf()))
    else:
        content = office_fragment(
            "open-decisions",
            lambda: _decision_table(None, page, csrf=CSRF_TOKEN_PLACE),
            clock.today(),
        )
    return render_template("meetings/decisions.html", content=content)


def _decision_table(responsible_email: str | None, page: int, csrf: str) -> str:
    return render_template(
        "meetings/_decisions.html",
        mine=responsible_email is not None,
        today=clock.today(),
        decisions=services.open_decisions_page(responsible_email, page),
        # each row's links, built from one rule for the page
        meeting_url=row_url("meetings.show", "meeting_id"),
        done_url=row_url("meetings.decision_done", "decision_id"),
        csrf=csrf,
    )


@blueprint.post("/<tenant_slug>/decisions/<int:decision_id>/done")
@require(*STAFF)
def decision_done(decision_id: int):
    decision = decision_for(decision_id, "manage")
    if not PublishForm().validate_on_submit():
        abort(400)
    services.mark_done(decision, clock.today())
    flash(_("The decision is marked as done."), "success")
    return redirect(
        request.referrer
        if request.referrer and request.referrer.startswith(request.host_url)
        else url_for("meetings.decisions")
    )


# Teams: the coordinating team and the sector teams (zespoły branżowe).
