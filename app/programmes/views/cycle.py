"""A programme's cycle: the list, a new or copied programme, its page, content, schedule,
stage moves, adoption, amendments and early closing of its windows."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from app.accounts.models import Role
from app.accounts.permissions import STAFF, current_tenant_role, is_staff, require
from app.core.page_cache import kept_for_the_city
from app.files import UploadRejected, from_form
from app.meetings.catalogue import QUADRANT_LABELS
from app.meetings.services import (
    combined_swot_page,
    meeting_count,
    meeting_ids_of,
    meetings_of,
)
from app.pages import page_number
from app.programmes import calendar, services
from app.programmes.access import TAKING_PART, can, programme_for
from app.programmes.catalogue import (
    FORMS_CATALOGUE,
    STAGE_LABELS,
    WINDOW_LABELS,
    Kind,
    Stage,
    WindowKind,
)
from app.programmes.forms import (
    AdoptionForm,
    AmendmentForm,
    AmendmentStartForm,
    ContentForm,
    CopyForm,
    EarlyClosingForm,
    NewProgrammeForm,
    ScheduleForm,
    StageForm,
)
from app.programmes.models import Programme
from app.programmes.views import blueprint
from app.storage import send_stored
from app.tenancy import clock
from app.unit_of_work import EditConflict


@blueprint.get("/<tenant_slug>/programmes")
def index():
    return _index_page()


def _index_page(copy_error: str | None = None):
    staff = is_staff()
    return render_template(
        "programmes/index.html",
        programmes=services.listed(not staff),
        staff=staff,
        copy_form=CopyForm(),
        copy_error=copy_error,
        previous=services.latest(Kind.ANNUAL) if staff else None,
    ), 422 if copy_error else 200


@blueprint.route("/<tenant_slug>/programmes/new", methods=["GET", "POST"])
@require(*STAFF)
def new():
    form = NewProgrammeForm()
    if form.validate_on_submit():
        try:
            programme = services.create(
                Kind(form.kind.data),
                form.year_from.data,
                form.year_to.data,
                form.title.data.strip(),
            )
        except services.PeriodTaken as error:
            form.year_from.errors.append(str(error))
        except services.ProgrammeError as error:
            form.year_to.errors.append(str(error))
        else:
            return redirect(url_for("programmes.edit", programme_id=programme.id))
    return render_template("programmes/new.html", form=form), 422 if form.errors else 200


@blueprint.post("/<tenant_slug>/programmes/copy")
@require(*STAFF)
def copy():
    previous = services.latest(Kind.ANNUAL)
    if previous is None or not CopyForm().validate_on_submit():
        abort(404)
    try:
        programme = services.copy_as_next(previous)
    except services.ProgrammeError as error:
        return _index_page(copy_error=str(error))
    flash(
        _(
            "A new draft for %(year)s starts from the programme for %(previous)s.",
            year=programme.year_from,
            previous=previous.year_from,
        ),
        "success",
    )
    if programme.milestones:
        flash(
            ngettext(
                "Its schedule has moved %(num)d year on, to the same days: check each step.",
                "Its schedule has moved %(num)d years on, to the same days: check each step.",
                programme.year_from - previous.year_from,
            ),
            "info",
        )
    return redirect(url_for("programmes.edit", programme_id=programme.id))


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>")
def show(programme_id: int):
    programme = programme_for(programme_id)
    staff = is_staff()
    admin = current_tenant_role() == Role.ADMIN
    upcoming = services.next_stage(programme)
    window = services.open_window(programme)
    return render_template(
        "programmes/show.html",
        programme=programme,
        staff=staff,
        admin=admin,
        completeness=services.completeness(programme),
        deadlines=services.deadlines(programme),
        report_due=services.report_due,
        today=clock.today(),
        next_stage=upcoming,
        may_move=upcoming is not None
        and services.role_may_move_to(upcoming, current_tenant_role()),
        stage_form=StageForm(stage=upcoming.value if upcoming else ""),
        adoption_form=AdoptionForm(obj=programme),
        editable=services.content_editable(programme),
        amendments=services.amendments_in_force(programme),
        amendment_start_form=AmendmentStartForm(),
        amendment_form=AmendmentForm(),
        text_in_force=None if staff else services.text_in_force(programme),
        closable=[k for k in WindowKind if admin and services.takes_input(programme, k)],
        closing_form=EarlyClosingForm(),
        window_labels=WINDOW_LABELS,
        timeline=calendar.timeline(programme),
        meetings=meetings_of(programme_id=programme.id, public_only=not staff),
        open_window=window,
        may_take_part=window is not None and can(TAKING_PART[window.kind], programme),
    )


@blueprint.route("/<tenant_slug>/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@require(*STAFF)
def edit(programme_id: int):
    programme = programme_for(programme_id, "manage")
    services.ensure_editable(programme)
    form = ContentForm(obj=programme, data=None if _submitted() else _texts(programme))
    status = 200
    if form.validate_on_submit():
        try:
            services.save_content(programme, int(form.version.data or 0), _content(form))
        except EditConflict as error:
            flash(str(error), "error")
            status = 409
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("programmes.show", programme_id=programme.id))
    elif form.errors:
        status = 422
    if not _submitted():
        form.version.data = programme.lock_version
    return render_template(
        "programmes/edit.html", programme=programme, form=form, conflict=status == 409
    ), status


def _submitted() -> bool:
    return request.method == "POST"


def _texts(programme: Programme) -> dict:
    return {
        key: programme.text(key)
        for key in ("goals", "scope", "implementation", "evaluation", "creation", "commissions")
    }


def _content(form: ContentForm) -> services.Content:
    forms = form.forms.values()
    for index in form.catalogue.data or []:
        area, financial, text = FORMS_CATALOGUE[int(index)]
        if text not in {existing["description"] for existing in forms}:
            forms.append({"area": area, "financial": financial, "description": text})
    return services.Content(
        title=form.title.data.strip(),
        budget=form.budget.data,
        texts=form.texts(),
        principles=form.principles.values(),
        forms=forms,
        priority_tasks=form.priority_tasks.values(),
        indicators=form.indicators.values(),
        proposals_from=form.proposals_from.data,
        proposals_to=form.proposals_to.data,
        consultation_from=form.consultation_from.data,
        consultation_to=form.consultation_to.data,
    )


@blueprint.route("/<tenant_slug>/programmes/<int:programme_id>/schedule", methods=["GET", "POST"])
@require(*STAFF)
def schedule(programme_id: int):
    programme = programme_for(programme_id, "manage")
    form = ScheduleForm(obj=programme)
    if form.validate_on_submit():
        services.save_milestones(programme, form.milestones.values())
        flash(_("Saved."), "success")
        return redirect(url_for("programmes.show", programme_id=programme.id))
    return render_template("programmes/schedule.html", programme=programme, form=form), (
        422 if form.errors else 200
    )


@blueprint.post("/<tenant_slug>/programmes/<int:programme_id>/stage")
@require(*STAFF)
def move(programme_id: int):
    programme = programme_for(programme_id, "manage")
    form = StageForm()
    if not form.validate_on_submit() or form.stage.data not in {s.value for s in Stage}:
        abort(400)
    try:
        services.move(
            programme, Stage(form.stage.data), current_tenant_role(), note=form.note.data or ""
        )
    except PermissionError:
        abort(403)
    except services.ProgrammeError as error:
        flash(str(error), "error")
    else:
        flash(
            _(
                "The programme is now at the stage: %(stage)s.",
                stage=STAGE_LABELS[Stage(programme.stage)],
            ),
            "success",
        )
    return redirect(url_for("programmes.show", programme_id=programme.id))


@blueprint.post("/<tenant_slug>/programmes/<int:programme_id>/adoption")
@require(Role.ADMIN)
def adoption(programme_id: int):
    programme = programme_for(programme_id, "adopt")
    services.ensure_not_adopted(programme)
    form = AdoptionForm()
    if not form.validate_on_submit():
        flash(_("Give the number and the date of the resolution."), "error")
        return redirect(url_for("programmes.show", programme_id=programme.id))
    try:
        document = from_form(form.resolution_file.data)
        services.record_adoption(
            programme,
            form.resolution_number.data,
            form.resolution_date.data,
            current_tenant_role(),
            document,
        )
    except PermissionError:
        abort(403)
    except (UploadRejected, services.ProgrammeError) as error:
        flash(str(error), "error")
    else:
        flash(_("The resolution has been recorded: the programme is adopted."), "success")
    return redirect(url_for("programmes.show", programme_id=programme.id))


@blueprint.post("/<tenant_slug>/programmes/<int:programme_id>/amendments")
@require(Role.ADMIN)
def start_amendment(programme_id: int):
    programme = programme_for(programme_id, "manage")
    form = AmendmentStartForm()
    if not form.validate_on_submit():
        flash(_("Say what the amendment changes and why."), "error")
        return redirect(url_for("programmes.show", programme_id=programme.id))
    try:
        services.start_amendment(programme, form.reason.data)
    except services.ProgrammeError as error:
        flash(str(error), "error")
        return redirect(url_for("programmes.show", programme_id=programme.id))
    flash(
        _("The amendment is open: edit the text, then record the amending resolution."),
        "success",
    )
    return redirect(url_for("programmes.edit", programme_id=programme.id))


@blueprint.post("/<tenant_slug>/programmes/<int:programme_id>/amendments/resolution")
@require(Role.ADMIN)
def record_amendment(programme_id: int):
    programme = programme_for(programme_id, "manage")
    form = AmendmentForm()
    if not form.validate_on_submit():
        flash(_("Give the number and the date of the resolution."), "error")
        return redirect(url_for("programmes.show", programme_id=programme.id))
    try:
        services.record_amendment(programme, form.resolution_number.data, form.resolution_date.data)
    except services.ProgrammeError as error:
        flash(str(error), "error")
    else:
        flash(_("The amendment has been recorded and published."), "success")
    return redirect(url_for("programmes.show", programme_id=programme.id))


@blueprint.post("/<tenant_slug>/programmes/<int:programme_id>/windows/<window>/close")
@require(Role.ADMIN)
def close_window(programme_id: int, window: str):
    programme = programme_for(programme_id, "manage")
    if window not in {k.value for k in WindowKind}:
        abort(404)
    services.ensure_not_adopted(programme)
    form = EarlyClosingForm()
    if not form.validate_on_submit():
        flash(_("Say why the window closes early: the reason is published."), "error")
        return redirect(url_for("programmes.show", programme_id=programme.id))
    try:
        services.close_early(programme, WindowKind(window), form.reason.data)
    except services.ProgrammeError as error:
        flash(str(error), "error")
    else:
        flash(_("Closed early. The reason is shown on the programme's page."), "success")
    return redirect(url_for("programmes.show", programme_id=programme.id))


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/resolution")
def resolution_document(programme_id: int):
    programme = programme_for(programme_id)
    return send_stored(programme.resolution_file_key, programme.resolution_file_name)


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/schedule.ics")
def schedule_ics(programme_id: int):
    programme = programme_for(programme_id)
    return Response(
        calendar.ical(programme, g.tenant),
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="harmonogram-{programme.year_from}.ics"'
        },
    )


# NGOs' proposals and the aggregated list (zbiorczy wykaz propozycji).


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/swot")
def swot(programme_id: int):
    """The SWOT analyses of the cycle's meetings in one picture."""
    programme = programme_for(programme_id)
    staff = is_staff()
    body = kept_for_the_city("cycle-swot", lambda: _swot_body(programme, staff), staff)
    return render_template(
        "programmes/swot.html", programme=programme, body=Markup(body), staff=staff
    )


def _swot_body(programme: Programme, staff: bool) -> str:
    swot = combined_swot_page(
        meeting_ids_of(programme_id=programme.id, public_only=not staff),
        page_number(request.args.get("swot_page", 1)),
    )
    return render_template(
        "programmes/_swot_body.html",
        programme=programme,
        meeting_count=meeting_count(programme_id=programme.id, public_only=not staff),
        swot=swot.items,
        swot_page=swot,
        quadrant_labels=QUADRANT_LABELS,
    )
