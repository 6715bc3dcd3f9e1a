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

from app.accounts.permissions import STAFF, require
from app.exports.doors import ExportRefused, door_of
from app.files import UploadRejected, from_form
from app.programmes import services, year_reports
from app.programmes.access import programme_for, year_report_for
from app.programmes.forms import (
    ExportForm,
    ReportForm,
    WithdrawForm,
    YearReportForm,
)
from app.programmes.models import Programme, YearReport
from app.programmes.views import blueprint
from app.storage import send_stored
from app.unit_of_work import ConstraintViolation, EditConflict


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
    if not form.validate_on_submit():
        abort(400)
    try:
        record = door_of("programmes.export").start(
            form.document.data, form.file_format.data, programme_id=programme.id
        )
    except ExportRefused:
        abort(400)
    return redirect(url_for("jobs.status", job_id=record.id))


# -- the report on each year of a multi-year programme ----------------------------------


@blueprint.route(
    "/<tenant_slug>/programmes/<int:programme_id>/year-reports/new", methods=["GET", "POST"]
)
@require(*STAFF)
def file_year_report(programme_id: int):
    programme = programme_for(programme_id, "manage")
    if not year_reports.is_reported_yearly(programme):
        abort(404)
    form = YearReportForm()
    form.year.choices = [(year, str(year)) for year in year_reports.years_to_file(programme)]
    status = 200
    if form.validate_on_submit():
        try:
            report = year_reports.file(programme, form.year.data, _filing(form))
        except (UploadRejected, services.ProgrammeError, ConstraintViolation) as error:
            flash(str(error), "error")
            status = 422
        else:
            flash(_("The report on %(year)s is on record.", year=report.year), "success")
            return _to_reports(programme)
    elif form.errors:
        status = 422
    return _year_report_page(programme, form, None), status


@blueprint.route(
    "/<tenant_slug>/programmes/year-reports/<int:year_report_id>", methods=["GET", "POST"]
)
@require(*STAFF)
def year_report(year_report_id: int):
    report = year_report_for(year_report_id, "manage")
    form = YearReportForm(obj=report)
    del form.year  # the year is fixed once the report is filed
    if request.method == "GET":
        form.version.data = report.lock_version
    status = 200
    if form.validate_on_submit():
        try:
            year_reports.revise(report, form.version.data, _filing(form))
        except EditConflict as error:
            flash(str(error), "error")
            status = 409
        except (UploadRejected, services.ProgrammeError) as error:
            flash(str(error), "error")
            status = 422
        else:
            flash(_("Saved."), "success")
            return _to_reports(report.programme)
    elif form.errors:
        status = 422
    return _year_report_page(report.programme, form, report), status


@blueprint.post("/<tenant_slug>/programmes/year-reports/<int:year_report_id>/withdraw")
@require(*STAFF)
def withdraw_year_report(year_report_id: int):
    report = year_report_for(year_report_id, "manage")
    if not WithdrawForm().validate_on_submit():
        abort(400)
    year_reports.withdraw(report)
    flash(
        _(
            "The report on %(year)s is withdrawn: the year waits for its report again.",
            year=report.year,
        ),
        "success",
    )
    return _to_reports(report.programme)


@blueprint.get("/<tenant_slug>/programmes/year-reports/<int:year_report_id>/document")
def year_report_document(year_report_id: int):
    report = year_report_for(year_report_id)
    return send_stored(report.document_key, report.document_name)


def _filing(form: YearReportForm) -> year_reports.Filing:
    return year_reports.Filing(
        published_on=form.published_on.data,
        submitted_on=form.submitted_on.data,
        note=form.note.data or "",
        document=from_form(form.document.data),
    )


def _year_report_page(programme: Programme, form: YearReportForm, report: YearReport | None):
    return render_template(
        "programmes/year_report.html",
        programme=programme,
        form=form,
        report=report,
        withdraw_form=WithdrawForm(),
    )


def _to_reports(programme: Programme):
    return redirect(url_for("programmes.show", programme_id=programme.id, _anchor="year-reports"))
