"""A city's cooperation programmes: the cycle at a glance, content, schedule."""

from __future__ import annotations

from flask import (
    Blueprint,
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
from flask_login import current_user

from app import exports
from app.accounts.models import Role
from app.accounts.permissions import STAFF, current_tenant_role, get_or_404, is_staff, require
from app.files import UploadRejected, from_form
from app.meetings.catalogue import QUADRANT_LABELS
from app.meetings.services import combined_swot, meetings_of
from app.programmes import calendar, consultation, proposals, services
from app.programmes.access import acting_for, can, consultation_of, programme_for
from app.programmes.catalogue import (
    ANSWER_LABELS,
    AREA_LABELS,
    CYCLE,
    ELEMENTS,
    FORMS_CATALOGUE,
    KIND_LABELS,
    MILESTONE_LABELS,
    STAGE_LABELS,
    WINDOW_LABELS,
    Answer,
    Kind,
    Stage,
    WindowKind,
)
from app.programmes.forms import (
    AdoptionForm,
    AmendmentForm,
    AmendmentStartForm,
    AnswerForm,
    CommentAnswerForm,
    CommentForm,
    ContentForm,
    CopyForm,
    EarlyClosingForm,
    ExportForm,
    ForwardForm,
    NewProgrammeForm,
    OpinionForm,
    ProposalForm,
    ReportForm,
    ScheduleForm,
    StageForm,
)
from app.programmes.models import Comment, Opinion, Programme, Proposal
from app.storage import send_stored
from app.tenancy import clock
from app.unit_of_work import EditConflict

blueprint = Blueprint("programmes", __name__, template_folder="templates")


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
    return redirect(url_for("programmes.edit", programme_id=programme.id))


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>")
def show(programme_id: int):
    programme = programme_for(programme_id)
    staff = is_staff()
    admin = current_tenant_role() == Role.ADMIN
    upcoming = services.next_stage(programme)
    return render_template(
        "programmes/show.html",
        programme=programme,
        staff=staff,
        admin=admin,
        completeness=services.completeness(programme),
        deadlines=services.deadlines(programme),
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
        may_propose=can("propose", programme) and proposals.is_open(programme),
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


@blueprint.route(
    "/<tenant_slug>/programmes/<int:programme_id>/proposals/new", methods=["GET", "POST"]
)
@require()
def propose(programme_id: int):
    programme = programme_for(programme_id, "propose")
    organisations = proposals.organisations_for(current_user, g.tenant)
    if not proposals.is_open(programme):
        return render_template(
            "programmes/propose.html",
            programme=programme,
            form=None,
            closed=proposals.closed_message(programme),
        ), 410
    form = ProposalForm()
    form.organisation_id.choices = [(o.id, o.name) for o in organisations]
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation_id.data)
        try:
            proposals.submit(
                programme,
                organisation,
                current_user,
                form.element.data,
                form.proposed_text.data,
                form.justification.data or "",
            )
        except proposals.ProposalError as error:
            # the window closed while the form was being filled: keep the text, say why
            flash(str(error), "error")
            return render_template(
                "programmes/propose.html", programme=programme, form=form, closed=None
            ), 410
        flash(
            _("Thank you. The proposal has been sent; the answer will come by e-mail."), "success"
        )
        return redirect(url_for("programmes.my_proposals"))
    return render_template(
        "programmes/propose.html", programme=programme, form=form, closed=None
    ), 422 if form.errors else 200


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/proposals")
@require(*STAFF)
def proposal_list(programme_id: int):
    programme = programme_for(programme_id, "manage")
    where = proposals.ProposalFilter.from_args(request.args)
    return render_template(
        "programmes/proposals.html",
        programme=programme,
        where=where,
        proposals=proposals.aggregated_list(programme, where),
        forward_form=ForwardForm(),
        answer_form=AnswerForm(),
        answer_labels=ANSWER_LABELS,
    )


@blueprint.post("/<tenant_slug>/proposals/<int:proposal_id>/forward")
@require(*STAFF)
def forward_proposal(proposal_id: int):
    proposal = get_or_404(Proposal, proposal_id)
    form = ForwardForm()
    if form.validate_on_submit():
        proposals.forward(proposal, form.unit.data)
        flash(_("The proposal has been forwarded to %(unit)s.", unit=form.unit.data), "success")
    else:
        flash(_("Say to whom the proposal goes."), "error")
    return redirect(url_for("programmes.proposal_list", programme_id=proposal.programme_id))


@blueprint.post("/<tenant_slug>/proposals/<int:proposal_id>/answer")
@require(*STAFF)
def answer_proposal(proposal_id: int):
    proposal = get_or_404(Proposal, proposal_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            proposals.answer(proposal, Answer(form.verdict.data), form.justification.data or "")
        except proposals.ProposalError as error:
            flash(str(error), "error")
        else:
            flash(_("The answer has been saved and sent to the organisation."), "success")
    return redirect(url_for("programmes.proposal_list", programme_id=proposal.programme_id))


@blueprint.get("/<tenant_slug>/proposals/mine")
@require()
def my_proposals():
    return render_template(
        "programmes/my_proposals.html",
        proposals=proposals.of_user(current_user),
        answer_labels=ANSWER_LABELS,
    )


# Public consultation, versions, opinions and the consultation report.


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/consultation")
def consultation_page(programme_id: int):
    programme = consultation_of(programme_id)
    commenting = consultation.consultation_open(programme) and can("comment", programme)
    return _consultation_view(programme, _comment_form() if commenting else None)


def _comment_form() -> CommentForm:
    form = CommentForm()
    form.organisation_id.choices = [
        (o.id, o.name) for o in proposals.organisations_for(current_user, g.tenant)
    ]
    return form


def _consultation_view(programme: Programme, form: CommentForm | None, status: int = 200):
    return render_template(
        "programmes/consultation.html",
        programme=programme,
        is_open=consultation.consultation_open(programme),
        form=form,
        version=programme.versions[0] if programme.versions else None,
        comments=consultation.comments_of(programme),
        staff=is_staff(),
        answer_form=CommentAnswerForm(),
    ), status


@blueprint.post("/<tenant_slug>/programmes/<int:programme_id>/comments")
@require(Role.NGO)
def add_comment(programme_id: int):
    programme = programme_for(programme_id, "comment")
    form = _comment_form()
    if not consultation.consultation_open(programme):
        # the window closed while the comment was being written: keep it, say why
        flash(_("The public consultation of this draft is closed."), "error")
        return _consultation_view(programme, form, 410)
    if not form.validate_on_submit():
        flash(_("Write the comment and choose the part of the programme."), "error")
        return _consultation_view(programme, form, 422)
    organisation = acting_for(form.organisation_id.data)
    try:
        consultation.comment(
            programme, current_user, organisation, form.element.data, form.body.data
        )
    except consultation.ConsultationError as error:
        flash(str(error), "error")
        return _consultation_view(programme, form, 422)
    flash(_("Thank you for the comment. The answer will be published here."), "success")
    return redirect(url_for("programmes.consultation_page", programme_id=programme.id))


@blueprint.post("/<tenant_slug>/comments/<int:comment_id>/answer")
@require(*STAFF)
def answer_comment(comment_id: int):
    record = get_or_404(Comment, comment_id)
    form = CommentAnswerForm()
    try:
        if not form.validate_on_submit():
            raise consultation.ConsultationError(_("Write the answer."))
        consultation.answer_comment(record, form.answer.data, form.taken_into_account.data)
    except consultation.ConsultationError as error:
        flash(str(error), "error")
    else:
        flash(_("The answer has been published."), "success")
    return redirect(url_for("programmes.consultation_page", programme_id=record.programme_id))


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/versions")
def versions(programme_id: int):
    programme = programme_for(programme_id)
    by_number = {v.number: v for v in programme.versions}
    old = by_number.get(request.args.get("a", type=int) or 1)
    new = by_number.get(request.args.get("b", type=int) or max(by_number, default=0))
    changes = consultation.compare(old, new) if old and new and old is not new else []
    return render_template(
        "programmes/versions.html", programme=programme, old=old, new=new, changes=changes
    )


@blueprint.route("/<tenant_slug>/programmes/<int:programme_id>/opinions", methods=["GET", "POST"])
def opinions(programme_id: int):
    programme = programme_for(programme_id)
    form = OpinionForm()
    if request.method == "POST":
        if not can("manage", programme):
            abort(403)
        services.ensure_editable(programme)
        if form.validate_on_submit():
            try:
                checked = from_form(form.attachment.data)
            except UploadRejected as error:
                form.attachment.errors.append(str(error))
            else:
                consultation.add_opinion(
                    programme, form.body.data, form.given_on.data, form.text.data or "", checked
                )
                flash(_("The opinion has been recorded."), "success")
                return redirect(url_for("programmes.opinions", programme_id=programme.id))
    return render_template(
        "programmes/opinions.html",
        programme=programme,
        form=form,
        opinions=consultation.opinions_of(programme),
        staff=is_staff(),
    ), (422 if form.errors else 200)


@blueprint.get("/<tenant_slug>/opinions/<int:opinion_id>/document")
def opinion_document(opinion_id: int):
    opinion = get_or_404(Opinion, opinion_id)
    programme_for(opinion.programme_id)
    return send_stored(opinion.attachment_key, opinion.attachment_name)


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/consultation-report")
def consultation_report(programme_id: int):
    programme = consultation_of(programme_id)
    return render_template(
        "programmes/consultation_report.html",
        programme=programme,
        report=consultation.report(programme),
    )


@blueprint.post("/<tenant_slug>/programmes/<int:programme_id>/creation-summary")
@require(*STAFF)
def fill_creation(programme_id: int):
    programme = programme_for(programme_id, "manage")
    services.ensure_editable(programme)
    if not CopyForm().validate_on_submit():  # a bare form: only the CSRF token
        abort(400)
    consultation.fill_creation(programme)
    flash(_("Element 10 has been filled in from the cycle's records; check it."), "success")
    return redirect(url_for("programmes.edit", programme_id=programme.id))


# The annual report and the official documents.

DOCUMENTS = {"programme", "proposals", "report"}


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


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/swot")
def swot(programme_id: int):
    """The SWOT analyses of the cycle's meetings in one picture."""
    programme = programme_for(programme_id)
    meetings = meetings_of(programme_id=programme.id, public_only=not is_staff())
    return render_template(
        "programmes/swot.html",
        programme=programme,
        meetings=meetings,
        swot=combined_swot(meetings),
        quadrant_labels=QUADRANT_LABELS,
        staff=is_staff(),
    )
