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

from app.accounts.permissions import STAFF, require
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
    mine = request.args.get("mine") == "1"
    return render_template(
        "meetings/decisions.html",
        mine=mine,
        today=clock.today(),
        decisions=services.open_decisions_page(
            current_user.email if mine else None, page_number(request.args.get("page", 1))
        ),
        # each row's links, built from one rule for the page
        meeting_url=row_url("meetings.show", "meeting_id"),
        done_url=row_url("meetings.decision_done", "decision_id"),
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
