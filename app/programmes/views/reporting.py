"""After the year: the annual report, and the programme's documents exported."""

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

from app import exports
from app.accounts.permissions import STAFF, require
from app.programmes import services
from app.programmes.access import programme_for
from app.programmes.forms import (
    ExportForm,
    ReportForm,
)
from app.programmes.views import blueprint
from app.unit_of_work import EditConflict

DOCUMENTS = {"programme", "proposals", "report", "consultation"}


@blueprint.route("/<tenant_slug>/programmes/<int:programme_id>/report", methods=["GET", "POST"])
@require(*STAFF)
def report(programme_id: int):
    programme = programme_for(programme_id, "manage")
    form = ReportForm(obj=programme)
    if request.method == "GET":
        form.version.data = programme.lock_version
    status = 200
    if form.validate_on_submit():
        try:
            services.save_report(
                programme,
                int(form.version.data or 0),
                tasks=form.report_tasks_commissioned.data,
                spent=form.report_amount_spent.data,
                summary=form.report_summary.data or "",
                published_on=form.report_published_on.data,
                actual={row["id"]: row["actual"] for row in form.indicators.values()},
            )
        except EditConflict as error:
            flash(str(error), "error")
            status = 409
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("programmes.show", programme_id=programme.id))
    elif form.errors:
        status = 422
    return render_template("programmes/report.html", programme=programme, form=form), status


@blueprint.post("/<tenant_slug>/programmes/<int:programme_id>/export")
@require(*STAFF)
def export(programme_id: int):
    programme = programme_for(programme_id, "manage")
    form = ExportForm()
    if not form.validate_on_submit() or form.document.data not in DOCUMENTS:
        abort(400)
    record = exports.start(form.document.data, form.file_format.data, programme_id=programme.id)
    return redirect(url_for("jobs.status", job_id=record.id))
