"""A city's meetings: the minutes, recorded by staff and public once published."""

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
from app.accounts.permissions import STAFF, get_or_404, is_staff, require
from app.extensions import db
from app.files import DOCUMENTS, IMAGES, UploadRejected, from_form
from app.markdown import render as markdown
from app.meetings import calendar, registration, services
from app.meetings.access import decision_for, meeting_for, team_for
from app.meetings.catalogue import MEMBER_ROLE_LABELS, QUADRANT_LABELS, TEAM_KIND_LABELS
from app.meetings.forms import (
    AttachmentForm,
    MeetingForm,
    PublishForm,
    RegisterForm,
    RegistrationSettingsForm,
    TeamForm,
)
from app.meetings.models import Attachment, Meeting, MeetingStatus, Quadrant, Team
from app.regions.services import blocks_of_region
from app.storage import send_stored, storage
from app.tenancy import clock
from app.unit_of_work import EditConflict

blueprint = Blueprint("meetings", __name__, template_folder="templates")
DOCUMENTS_OF_A_MEETING = {"minutes", "attendance_sheet", "registrations"}


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


@blueprint.get("/<tenant_slug>/meetings")
def index():
    staff = is_staff()
    query = request.args.get("q", "").strip()
    meetings = (
        services.search(query, public_only=not staff)
        if query
        else services.listed(public_only=not staff)
    )
    return render_template("meetings/index.html", meetings=meetings, staff=staff, query=query)


@blueprint.get("/<tenant_slug>/meetings/<int:meeting_id>")
def show(meeting_id: int):
    meeting = meeting_for(meeting_id)
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        staff=is_staff(),
        participants=services.participants(meeting),
        swot=services.swot_by_quadrant(meeting.swot),
        publish_form=PublishForm(),
        attachment_form=AttachmentForm(),
        register_form=RegisterForm() if registration.is_open(meeting) else None,
        places=registration.counts(meeting) if meeting.registration_open else None,
    )


@blueprint.route("/<tenant_slug>/meetings/new", methods=["GET", "POST"])
@require(*STAFF)
def new():
    form = MeetingForm()
    _team_choices(form)
    if form.validate_on_submit():
        try:
            meeting = services.create(_content(form))
        except services.LinkError as error:
            flash(str(error), "error")
        else:
            flash(_("The meeting has been recorded as a draft."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/edit.html", form=form, meeting=None), (
        422 if form.errors else 200
    )


@blueprint.route("/<tenant_slug>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@require(*STAFF)
def edit(meeting_id: int):
    meeting = meeting_for(meeting_id, "manage")
    form = MeetingForm() if request.method == "POST" else _form_for(meeting)
    _team_choices(form)
    status = 200
    if form.validate_on_submit():
        try:
            services.save(meeting, int(form.version.data or 0), _content(form))
        except EditConflict as error:
            flash(str(error), "error")
            status = 409
        except services.LinkError as error:
            flash(str(error), "error")
            status = 422
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    elif form.errors:
        status = 422
    return render_template(
        "meetings/edit.html", form=form, meeting=meeting, conflict=status == 409
    ), status


def _form_for(meeting: Meeting) -> MeetingForm:
    data = services.content_of(meeting)
    form = MeetingForm(obj=meeting)
    form.version.data = meeting.lock_version
    form.speakers.fill(
        {
            "id": speaker.id,
            "item": number,
            "person": speaker.person,
            "organisation": speaker.organisation,
            "statement": speaker.statement,
        }
        for number, item in enumerate(meeting.agenda, start=1)
        for speaker in item.speakers
    )
    for quadrant in Quadrant:
        getattr(form, quadrant.value).data = "\n".join(
            s["text"] for s in data["swot"] if s["quadrant"] == quadrant
        )
    form.materials.data = "\n".join(meeting.materials)
    return form


def _team_choices(form: MeetingForm) -> None:
    """What a meeting can serve: a team, a programme cycle, a regional standards project."""
    from app.programmes.services import listed

    form.team_id.choices = [("", _("(none)"))] + [(t.id, t.name) for t in services.teams()]
    form.programme_id.choices = [("", _("(none)"))] + [
        (p.id, p.title) for p in listed(public_only=False)
    ]
    form.thematic_block_id.choices = [("", _("(none)"))] + [
        (block.id, f"{project.title} — {block.numeral}. {block.title}")
        for block, project in blocks_of_region(g.tenant.region)
    ]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _content(form: MeetingForm) -> dict:
    agenda = [{**row, "speakers": []} for row in form.agenda.values()]
    for row in form.speakers.values():
        number = row.pop("item") or 1
        if 1 <= number <= len(agenda):
            agenda[number - 1]["speakers"].append(row)
    texts = (
        "title",
        "topic",
        "place",
        "facilitator",
        "organiser",
        "goal",
        "addressees",
        "minutes_taker",
    )
    values = (
        "held_on",
        "starts_at",
        "ends_at",
        "people_count",
        "organisations_count",
        "officials_count",
        "written_on",
    )
    return {
        **{name: (getattr(form, name).data or "").strip() for name in texts},
        **{name: getattr(form, name).data for name in values},
        "online_url": form.online_url.data or None,
        "team_id": form.team_id.data or None,
        "programme_id": form.programme_id.data or None,
        "thematic_block_id": form.thematic_block_id.data or None,
        "agenda": agenda,
        "decisions": [
            {**row, "responsible_email": row["responsible_email"] or None}
            for row in form.decisions.values()
        ],
        "groups": form.groups.values(),
        "swot": [
            {"quadrant": quadrant.value, "text": line}
            for quadrant in Quadrant
            for line in _lines(getattr(form, quadrant.value).data)
        ],
        "attendees": form.attendees.values(),
        "materials": _lines(form.materials.data),
    }


@blueprint.post("/<tenant_slug>/meetings/<int:meeting_id>/publish")
@require(*STAFF)
def publish(meeting_id: int):
    meeting = meeting_for(meeting_id, "manage")
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    correction = meeting.status == MeetingStatus.PUBLISHED
    services.publish(meeting, form.note.data or "")
    flash(
        _("The correction has been published; the earlier text stays visible.")
        if correction
        else _("The minutes are published: anyone can read them."),
        "success",
    )
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@blueprint.get("/<tenant_slug>/meetings/<int:meeting_id>/versions/<int:number>")
def version(meeting_id: int, number: int):
    meeting = meeting_for(meeting_id)
    record = next((v for v in meeting.versions if v.number == number), None)
    if record is None:
        abort(404)
    return render_template("meetings/version.html", meeting=meeting, record=record)


@blueprint.post("/<tenant_slug>/meetings/<int:meeting_id>/attachments")
@require(*STAFF)
def attach(meeting_id: int):
    meeting = meeting_for(meeting_id, "manage")
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            upload = from_form(form.file.data, DOCUMENTS | IMAGES)
        except UploadRejected as error:
            flash(str(error), "error")
        else:
            if upload is not None:
                db.session.add(
                    Attachment(
                        meeting_id=meeting.id,
                        title=form.title.data.strip(),
                        file_name=upload.filename,
                        storage_key=storage().save(meeting.tenant_id, upload.filename, upload.data),
                    )
                )
                flash(_("The file has been attached."), "success")
    else:
        flash(_("Give the attachment a title and choose a file."), "error")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@blueprint.get("/<tenant_slug>/meeting-attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    record = get_or_404(Attachment, attachment_id)
    meeting_for(record.meeting_id)
    return send_stored(record.storage_key, record.file_name)


@blueprint.post("/<tenant_slug>/meetings/<int:meeting_id>/export")
@require(*STAFF)
def export(meeting_id: int):
    meeting = meeting_for(meeting_id, "manage")
    if not PublishForm().validate_on_submit():  # a bare form: the CSRF token only
        abort(400)
    file_format = request.form.get("file_format", "pdf")
    document = request.form.get("document", "minutes")
    if file_format not in ("pdf", "docx", "odt", "xlsx") or document not in DOCUMENTS_OF_A_MEETING:
        abort(400)
    record = exports.start(document, file_format, meeting_id=meeting.id)
    return redirect(url_for("jobs.status", job_id=record.id))


@blueprint.get("/<tenant_slug>/meetings/<int:meeting_id>/meeting.ics")
def meeting_ics(meeting_id: int):
    meeting = meeting_for(meeting_id)
    return Response(
        calendar.ical([meeting], g.tenant),
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="spotkanie-'
            f'{meeting.held_on.isoformat()}.ics"'
        },
    )


@blueprint.get("/<tenant_slug>/calendar.ics")
def city_calendar():
    return Response(
        calendar.ical(services.listed(public_only=True), g.tenant), mimetype="text/calendar"
    )


@blueprint.get("/<tenant_slug>/decisions")
@require(*STAFF)
def decisions():
    mine = request.args.get("mine") == "1"
    return render_template(
        "meetings/decisions.html",
        mine=mine,
        today=clock.today(),
        done_form=PublishForm(),
        decisions=services.open_decisions(current_user.email if mine else None),
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


@blueprint.get("/<tenant_slug>/teams")
def teams():
    return render_template("meetings/teams.html", teams=services.teams(), staff=is_staff())


@blueprint.get("/<tenant_slug>/teams/<int:team_id>")
def team(team_id: int):
    record = team_for(team_id)
    meetings = services.meetings_of(team_id=record.id, public_only=not is_staff())
    return render_template(
        "meetings/team.html",
        team=record,
        meetings=meetings,
        staff=is_staff(),
        swot=services.combined_swot(meetings),
        decisions=[d for m in meetings for d in m.decisions if d.done_on is None],
    )


@blueprint.route("/<tenant_slug>/teams/new", methods=["GET", "POST"])
@blueprint.route("/<tenant_slug>/teams/<int:team_id>/edit", methods=["GET", "POST"])
@require(*STAFF)
def edit_team(team_id: int | None = None):
    record = team_for(team_id, "manage") if team_id is not None else Team()
    form = TeamForm(obj=record)
    if form.validate_on_submit():
        services.save_team(
            record,
            {
                "name": form.name.data.strip(),
                "kind": form.kind.data,
                "area": form.area.data or "",
                "description": form.description.data or "",
            },
            form.members.values(),
        )
        flash(_("Saved."), "success")
        return redirect(url_for("meetings.team", team_id=record.id))
    return render_template("meetings/team_edit.html", form=form, team=record), (
        422 if form.errors else 200
    )


# Events people register for.


@blueprint.post("/<tenant_slug>/meetings/<int:meeting_id>/registration-settings")
@require(*STAFF)
def registration_settings(meeting_id: int):
    meeting = meeting_for(meeting_id, "manage")
    form = RegistrationSettingsForm()
    if form.validate_on_submit():
        meeting.registration_open = bool(form.registration_open.data)
        meeting.capacity = form.capacity.data
        meeting.registration_deadline = form.registration_deadline.data
        meeting.attendance_mode = form.attendance_mode.data
        meeting.questions = _lines(form.questions.data)
        flash(_("Saved."), "success")
    else:
        flash(_("Check the registration settings."), "error")
    return redirect(url_for("meetings.registrations", meeting_id=meeting.id))


@blueprint.get("/<tenant_slug>/meetings/<int:meeting_id>/registrations")
@require(*STAFF)
def registrations(meeting_id: int):
    meeting = meeting_for(meeting_id, "manage")
    settings = RegistrationSettingsForm(obj=meeting)
    settings.questions.data = "\n".join(meeting.questions)
    return render_template(
        "meetings/registrations.html",
        meeting=meeting,
        settings=settings,
        registrations=registration.of_meeting(meeting),
        counts=registration.counts(meeting),
    )


@blueprint.post("/<tenant_slug>/meetings/<int:meeting_id>/register")
def register(meeting_id: int):
    meeting = meeting_for(meeting_id, "register")
    form = RegisterForm()
    if not form.validate_on_submit():
        flash(_("Give your name and a valid e-mail address."), "error")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    answers = [
        request.form.get(f"answer-{i}", "").strip()[:2000] for i in range(len(meeting.questions))
    ]
    try:
        record = registration.register(
            meeting,
            g.tenant.slug,
            name=form.name.data,
            email=form.email.data,
            organisation=form.organisation.data or "",
            answers=answers,
        )
    except registration.RegistrationClosed as error:
        flash(str(error), "error")
    else:
        flash(
            _("You are registered. The confirmation is on its way by e-mail.")
            if record.status == "confirmed"
            else _(
                "All places are taken: you are on the waiting list. We will write if a place "
                "frees up."
            ),
            "success",
        )
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@blueprint.route("/<tenant_slug>/registrations/cancel/<token>", methods=["GET", "POST"])
def cancel_registration(token: str):
    record = registration.find_by_token(token)
    if record is None or record.status == "cancelled":
        abort(404)
    meeting = get_or_404(Meeting, record.meeting_id)
    if request.method == "POST":
        if not PublishForm().validate_on_submit():
            abort(400)
        registration.cancel(record, meeting, g.tenant.slug)
        flash(_("Your registration is cancelled."), "success")
        return redirect(
            url_for("meetings.show", meeting_id=meeting.id)
            if meeting.status == MeetingStatus.PUBLISHED
            else url_for("core.tenant_home")
        )
    return render_template("meetings/cancel.html", meeting=meeting, record=record)


@blueprint.post("/<tenant_slug>/swot/export")
@require(*STAFF)
def export_swot():
    """The combined SWOT of a team or of a programme cycle, as PDF, DOCX, ODT or XLSX."""
    if not PublishForm().validate_on_submit():
        abort(400)
    file_format = request.form.get("file_format", "pdf")
    team_id = request.form.get("team_id", type=int)
    programme_id = request.form.get("programme_id", type=int)
    if file_format not in ("pdf", "docx", "odt", "xlsx") or not (team_id or programme_id):
        abort(400)
    if team_id:
        get_or_404(Team, team_id)
    if programme_id:
        from app.programmes.models import Programme

        get_or_404(Programme, programme_id)
    record = exports.start("swot", file_format, team_id=team_id, programme_id=programme_id)
    return redirect(url_for("jobs.status", job_id=record.id))
