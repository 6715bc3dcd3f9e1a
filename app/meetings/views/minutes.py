"""Minutes of a city's meetings: the list and search, recording, editing and publishing
them, earlier versions, attachments, documents and calendars."""

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
from flask_login import current_user

from app.accounts.permissions import STAFF, get_or_404, is_staff, require
from app.exports.doors import ExportRefused, door_of
from app.fields import lines
from app.files import DOCUMENTS, IMAGES, UploadRejected, from_form
from app.meetings import calendar, registration, services
from app.meetings.access import meeting_for
from app.meetings.forms import (
    AttachmentForm,
    MeetingForm,
    PublishForm,
    RegisterForm,
)
from app.meetings.models import Attachment, Meeting, MeetingStatus, Quadrant
from app.meetings.views import blueprint
from app.pages import page_number
from app.regions.services import blocks_of_region
from app.storage import send_stored
from app.unit_of_work import EditConflict


@blueprint.get("/<tenant_slug>/meetings")
def index():
    staff = is_staff()
    query = request.args.get("q", "").strip()[:200]
    page = services.meetings_page(
        query, public_only=not staff, page=page_number(request.args.get("page", 1))
    )
    return render_template("meetings/index.html", page=page, staff=staff, query=query)


@blueprint.get("/<tenant_slug>/meetings/<int:meeting_id>")
def show(meeting_id: int):
    meeting = meeting_for(meeting_id)
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        staff=is_staff(),
        participation=services.participation(meeting),
        swot=services.swot_by_quadrant(meeting.swot),
        publish_form=PublishForm(),
        attachment_form=AttachmentForm(),
        register_form=_register_form(meeting),
        announcing=meeting.status != MeetingStatus.PUBLISHED and not registration.is_past(meeting),
        places=registration.counts(meeting) if meeting.registration_open else None,
    )


def _register_form(meeting) -> RegisterForm | None:
    """Open registration, filled in with the logged-in person's name and address."""
    if not registration.is_open(meeting):
        return None
    if current_user.is_authenticated:
        return RegisterForm(name=current_user.name, email=current_user.email)
    return RegisterForm()


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
            for line in lines(getattr(form, quadrant.value).data)
        ],
        "attendees": form.attendees.values(),
        "materials": lines(form.materials.data),
    }


@blueprint.post("/<tenant_slug>/meetings/<int:meeting_id>/publish")
@require(*STAFF)
def publish(meeting_id: int):
    meeting = meeting_for(meeting_id, "manage")
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    if meeting.status == MeetingStatus.PUBLISHED:
        done = _("The correction has been published; the earlier text stays visible.")
    elif registration.is_past(meeting):
        done = _("The minutes are published: anyone can read them.")
    else:
        done = _("The event is announced: anyone can see it and, if registration is open, sign up.")
    services.publish(meeting, form.note.data or "")
    flash(done, "success")
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
            if upload is not None:
                services.attach(meeting, form.title.data, upload)
                flash(_("The file has been attached."), "success")
        except UploadRejected as error:  # not a document, or the storage cannot take it
            flash(str(error), "error")
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
    document = request.form.get("document", "minutes")
    file_format = request.form.get("file_format", "pdf")
    try:
        record = door_of("meetings.export").start(document, file_format, meeting_id=meeting.id)
    except ExportRefused:
        abort(400)
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
