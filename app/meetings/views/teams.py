"""Coordinating and sector teams: their pages, members and combined SWOT."""

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

from app.accounts.permissions import STAFF, is_staff, require
from app.exports.doors import ExportRefused, door_of
from app.meetings import services
from app.meetings.access import new_team, team_for
from app.meetings.forms import (
    PublishForm,
    TeamForm,
)
from app.meetings.views import blueprint
from app.pages import page_number
from app.unit_of_work import EditConflict


@blueprint.get("/<tenant_slug>/teams")
def teams():
    return render_template("meetings/teams.html", teams=services.teams(), staff=is_staff())


@blueprint.get("/<tenant_slug>/teams/<int:team_id>")
def team(team_id: int):
    record = team_for(team_id)
    work = services.work_of(
        record,
        public_only=not is_staff(),
        page=page_number(request.args.get("page", 1)),
        swot_page=page_number(request.args.get("swot_page", 1)),
    )
    return render_template(
        "meetings/team.html",
        team=record,
        meetings=work.meetings,
        staff=is_staff(),
        swot=work.swot.items,
        swot_page=work.swot,
        decisions=work.open_decisions,
        decisions_total=work.open_decisions_total,
    )


@blueprint.route("/<tenant_slug>/teams/new", methods=["GET", "POST"])
@blueprint.route("/<tenant_slug>/teams/<int:team_id>/edit", methods=["GET", "POST"])
@require(*STAFF)
def edit_team(team_id: int | None = None):
    record = team_for(team_id, "manage") if team_id is not None else new_team()
    form = TeamForm(obj=record)
    if request.method == "GET":
        form.version.data = record.lock_version
    status = 200
    if form.validate_on_submit():
        values = {name: getattr(form, name).data or "" for name in services.TEAM_FIELDS}
        try:
            services.save_team(record, form.version.data, values, form.members.values())
        except EditConflict as error:
            flash(str(error), "error")
            status = 409
        except services.TeamError as error:
            flash(str(error), "error")
            status = 422
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("meetings.team", team_id=record.id))
    elif form.errors:
        status = 422
    return render_template(
        "meetings/team_edit.html", form=form, team=record, conflict=status == 409
    ), status


# Events people register for.


@blueprint.post("/<tenant_slug>/swot/export")
@require(*STAFF)
def export_swot():
    """The combined SWOT of a team or of a programme cycle, as PDF, DOCX, ODT or XLSX."""
    if not PublishForm().validate_on_submit():
        abort(400)
    try:
        record = door_of("meetings.export_swot").start(
            "swot",
            request.form.get("file_format", "pdf"),
            team_id=request.form.get("team_id", type=int),
            programme_id=request.form.get("programme_id", type=int),
        )
    except ExportRefused:
        abort(400)
    return redirect(url_for("jobs.status", job_id=record.id))
