"""/api/v1/tenants/<slug>/meetings and /teams: the whole minutes and the teams with their
people as JSON, with optimistic locking."""

from __future__ import annotations

from flask import g, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import abort
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import load_only, raiseload

from app import DATABASE_INTEGER_MAX, unit_of_work
from app.accounts.permissions import STAFF, is_staff, require
from app.api import BEARER
from app.api.blueprint import (
    ApiBlueprint,
    UpdatedSinceSchema,
    kept_list_page,
    page_of,
    updated_since,
)
from app.api.http import last_modified
from app.api.schemas import AudienceSchema
from app.api.versions import shows_version, version_read
from app.files import DOCUMENTS, IMAGES, UploadRejected, from_form
from app.mail import public_mail_form
from app.meetings import access, registration, services
from app.meetings.access import (
    decision_for,
    event_registration_for,
    meeting_for,
    new_team,
    team_for,
)
from app.meetings.catalogue import ATTENDANCE_LABELS
from app.meetings.models import Meeting, MemberRole, Quadrant, Team, TeamKind
from app.storage import StorageUnavailable
from app.tenancy import clock
from app.unit_of_work import EditConflict

blueprint = ApiBlueprint(
    "api_meetings",
    __name__,
    tag="Spotkania · Meetings",
    url_prefix="/api/v1/tenants/<tenant_slug>",
    description="Participatory meetings and their minutes",
)


class SpeakerSchema(Schema):
    person = fields.String(required=True, validate=validate.Length(min=1, max=300))
    organisation = fields.String(load_default="")
    statement = fields.String(load_default="")


class AgendaItemSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1))
    minutes = fields.String(load_default="", metadata={"description": "Markdown"})
    speakers = fields.List(fields.Nested(SpeakerSchema), load_default=list)


class DecisionSchema(AudienceSchema):
    hidden = staticmethod(access.hidden_fields)

    text = fields.String(required=True, validate=validate.Length(min=1))
    responsible = fields.String(load_default="")
    responsible_email = fields.Email(load_default=None, allow_none=True)
    due_on = fields.Date(load_default=None, allow_none=True)
    done_on = fields.Date(load_default=None, allow_none=True)


class GroupSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    result = fields.String(load_default="")


class SwotSchema(Schema):
    quadrant = fields.String(required=True, validate=validate.OneOf([q.value for q in Quadrant]))
    text = fields.String(required=True, validate=validate.Length(min=1))
    group = fields.String(load_default="")


class AttendeeSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    organisation = fields.String(load_default="")
    official = fields.Boolean(load_default=False)


class MeetingSchema(AudienceSchema):
    hidden = staticmethod(access.hidden_fields)
    id = fields.Integer(dump_only=True)
    version = fields.Integer(
        metadata={"description": "Send back the version you read; a newer one answers 409."}
    )
    status = fields.String(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    topic = fields.String(load_default="")
    held_on = fields.Date(required=True)
    starts_at = fields.Time(load_default=None, allow_none=True)
    ends_at = fields.Time(load_default=None, allow_none=True)
    place = fields.String(load_default="")
    online_url = fields.Url(load_default=None, allow_none=True)
    facilitator = fields.String(load_default="")
    organiser = fields.String(load_default="")
    goal = fields.String(load_default="")
    addressees = fields.String(load_default="")
    people_count = fields.Integer(load_default=None, allow_none=True)
    organisations_count = fields.Integer(load_default=None, allow_none=True)
    officials_count = fields.Integer(load_default=None, allow_none=True)
    materials = fields.List(fields.String(), load_default=list)
    minutes_taker = fields.String(load_default="")
    written_on = fields.Date(load_default=None, allow_none=True)
    programme_id = fields.Integer(load_default=None, allow_none=True)
    team_id = fields.Integer(load_default=None, allow_none=True)
    thematic_block_id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "A thematic block of the region's standards project"},
    )
    agenda = fields.List(fields.Nested(AgendaItemSchema), load_default=list)
    decisions = fields.List(fields.Nested(DecisionSchema), load_default=list)
    groups = fields.List(fields.Nested(GroupSchema), load_default=list)
    swot = fields.List(fields.Nested(SwotSchema), load_default=list)
    attendees = fields.List(fields.Nested(AttendeeSchema), load_default=list)


class MeetingLinksSchema(Schema):
    page = fields.Url(metadata={"description": "The meeting's page on the city's site"})
    calendar = fields.Url(metadata={"description": "The meeting as an iCalendar file"})


class MeetingSummarySchema(Schema):
    id = fields.Integer(metadata={"example": 1})
    title = fields.String(metadata={"example": "Spotkanie konsultacyjne programu współpracy"})
    held_on = fields.Date()
    starts_at = fields.Time(allow_none=True, metadata={"example": "17:00:00"})
    ends_at = fields.Time(allow_none=True)
    place = fields.String(metadata={"example": "Ratusz w Lesznie, sala sesyjna"})
    online_url = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "`draft` (staff only) or `published`"})
    registration = fields.String(
        metadata={
            "description": "`none`: no registration; `open`: one may register now; `closed`",
            "example": "open",
        }
    )
    registration_deadline = fields.Date(allow_none=True)
    places_left = fields.Integer(
        allow_none=True, metadata={"description": "null: no limit or no registration"}
    )
    updated_at = fields.DateTime()
    links = fields.Nested(MeetingLinksSchema)


class MeetingListArgs(UpdatedSinceSchema):
    pass


def _registration_state(meeting: Meeting) -> str:
    if not meeting.registration_open:
        return "none"
    return "open" if registration.is_open(meeting) else "closed"


def _summaries(meetings: list[Meeting]) -> list[dict]:
    confirmed = registration.confirmed_counts(meetings)
    return [
        {
            **{name: getattr(meeting, name) for name in SUMMARY_COLUMNS},
            "registration": _registration_state(meeting),
            "places_left": registration.places_left(meeting, confirmed.get(meeting.id, 0)),
            "links": _links(meeting),
        }
        for meeting in meetings
    ]


def _summary_page(query, pagination_parameters) -> tuple[int, list[dict]]:
    """The page's summaries and the list's total (page_of counts it)."""
    summaries = _summaries(page_of(query, pagination_parameters))
    return pagination_parameters.item_count, summaries


SUMMARY_COLUMNS = (
    "id",
    "title",
    "held_on",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "status",
    "registration_deadline",
    "updated_at",
)
# what a summary reads of the row: its columns, and whether and how many may register
SUMMARY_READS = tuple(
    getattr(Meeting, name) for name in (*SUMMARY_COLUMNS, "registration_open", "capacity")
)


def _links(meeting: Meeting) -> dict:
    where = {"tenant_slug": g.tenant.slug, "meeting_id": meeting.id, "_external": True}
    return {
        "page": url_for("meetings.show", **where),
        "calendar": url_for("meetings.meeting_ics", **where),
    }


def _record(meeting: Meeting) -> dict:
    return {
        **services.content_of(meeting),
        "id": meeting.id,
        "version": meeting.lock_version,
        "status": meeting.status,
    }


SUMMARIES = MeetingSummarySchema(many=True)


@blueprint.route("/meetings")
class Meetings(MethodView):
    @blueprint.arguments(MeetingListArgs, location="query")
    @blueprint.response(200, SUMMARIES)
    @blueprint.paginate()
    def get(self, args, pagination_parameters):
        """The city's meetings: published minutes, or all for its staff.

        Each with its place and time, whether one may register and how many places are
        left, and links to its page and calendar file. The newest meeting first."""
        staff = is_staff()
        query = (
            services.listing(public_only=not staff)
            .order_by(Meeting.id.desc())
            .options(load_only(*SUMMARY_READS, raiseload=True), raiseload("*"))
        )
        query = updated_since(query, Meeting.updated_at, args["updated_since"])
        # whether one may register changes with the minute
        minute = clock.now().replace(second=0, microsecond=0)
        return kept_list_page(
            "api-meetings",
            lambda: _summary_page(query, pagination_parameters),
            SUMMARIES,
            pagination_parameters,
            staff,
            minute,
        )

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(MeetingSchema)
    @blueprint.response(201, MeetingSchema)
    @require(*STAFF)
    def post(self, data):
        """Record a meeting with its whole minutes (staff).

        A draft until it is published on the meeting's page."""
        data.pop("version", None)
        try:
            return _record(services.create(data))
        except services.LinkError as error:
            abort(422, message=str(error))


@blueprint.route("/meetings/<int:meeting_id>")
class MeetingRecord(MethodView):
    @blueprint.response(200, MeetingSchema)
    def get(self, meeting_id: int):
        """A meeting's whole record.

        Metadata, agenda with minutes and speakers, decisions, groups, SWOT and (for the
        city's staff) attendance. A draft answers 404 to everyone but the staff."""
        meeting = meeting_for(meeting_id)
        last_modified(meeting.updated_at)
        shows_version(meeting)
        return _record(meeting)

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(MeetingSchema(partial=True))
    @blueprint.response(200, MeetingSchema)
    @blueprint.versioned()
    @require(*STAFF)
    def patch(self, data, meeting_id: int):
        """Change the minutes (staff).

        State the version you read: `version` in the body (a newer one answers 409) or
        the ETag in `If-Match` (412)."""
        meeting = meeting_for(meeting_id, "manage")
        try:
            services.save(meeting, version_read(meeting, data), data)
        except EditConflict as error:
            abort(409, message=str(error))
        except services.LinkError as error:
            abort(422, message=str(error))
        shows_version(meeting)
        return _record(meeting)


NOT_BLANK = validate.Regexp(r"\s*\S", error="Not blank.")


class TeamMemberSchema(Schema):
    id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The id of a person as you read it, to keep that row; none for a "
            "person added. People left out are removed from the team.",
            "example": 1,
        },
    )
    name = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=300), NOT_BLANK],
        metadata={"example": "Paweł Nowicki"},
    )
    organisation = fields.String(
        load_default="",
        validate=validate.Length(max=300),
        metadata={"description": "Organisation or unit", "example": "Sieć SPLOT"},
    )
    role = fields.String(
        load_default=MemberRole.MEMBER.value,
        validate=validate.OneOf([role.value for role in MemberRole]),
        metadata={
            "description": "`moderator`, `leader`, `member` or `expert`",
            "example": "moderator",
        },
    )


class TeamSchema(Schema):
    id = fields.Integer(dump_only=True)
    version = fields.Integer(
        metadata={"description": "Send back the version you read; a newer one answers 409."}
    )
    name = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=300), NOT_BLANK],
        metadata={"example": "Zespół branżowy: Edukacja"},
    )
    kind = fields.String(
        load_default=TeamKind.SECTOR.value,
        validate=validate.OneOf([kind.value for kind in TeamKind]),
        metadata={"description": "`coordinating` or `sector`", "example": "sector"},
    )
    area = fields.String(
        load_default="", validate=validate.Length(max=300), metadata={"example": "Edukacja"}
    )
    description = fields.String(
        load_default="",
        validate=validate.Length(max=5000),
        metadata={"description": "What the team does"},
    )
    members = fields.List(
        fields.Nested(TeamMemberSchema),
        load_default=list,
        metadata={"description": "Its people in their order; an update sends them all"},
    )


class DecisionRecordSchema(DecisionSchema):
    id = fields.Integer(dump_only=True)
    meeting_id = fields.Integer(dump_only=True)


class RegistrationRequestSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    email = fields.Email(required=True)
    organisation = fields.String(load_default="")
    answers = fields.List(fields.String(), load_default=list)


class RegistrationRecordSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.Email()
    organisation = fields.String()
    answers = fields.List(fields.String())
    status = fields.String()


def _team(team: Team) -> dict:
    return {
        "id": team.id,
        "version": team.lock_version,
        **{name: getattr(team, name) for name in services.TEAM_FIELDS},
        "members": team.members,
    }


@blueprint.route("/teams")
class Teams(MethodView):
    @blueprint.response(200, TeamSchema(many=True))
    @blueprint.listing()
    def get(self):
        """Coordinating and sector teams with their people.

        Sorted by kind, then name."""
        return [_team(team) for team in services.teams()]

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(TeamSchema)
    @blueprint.response(201, TeamSchema)
    @require(*STAFF)
    def post(self, data):
        """Set up a team with its people (staff).

        As the page of a new team does. 422 when the city already has a team of that
        name."""
        team = new_team()
        data.pop("version", None)
        members = data.pop("members")
        try:
            services.save_team(team, None, data, members)
        except services.TeamError as error:
            abort(422, message=str(error))
        shows_version(team)
        return _team(team)


@blueprint.route("/teams/<int:team_id>")
class TeamRecord(MethodView):
    @blueprint.response(200, TeamSchema)
    def get(self, team_id: int):
        """A team with its people.

        Its name, kind, area, what it does, and its people with their roles, in order."""
        team = team_for(team_id)
        shows_version(team)
        return _team(team)

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(TeamSchema(partial=True))
    @blueprint.response(200, TeamSchema)
    @blueprint.versioned()
    @require(*STAFF)
    def patch(self, data, team_id: int):
        """Change a team or its people (staff).

        The fields sent change; `members`, when sent, is the whole list of its people
        (each with the `id` read keeps its row). State the version you read: `version` in
        the body (a newer one answers 409) or the ETag in `If-Match` (412). 422 when the
        city already has another team of that name."""
        team = team_for(team_id, "manage")
        expected = version_read(team, data)
        members = data.pop("members", None)
        try:
            services.save_team(team, expected, data, members)
        except EditConflict as error:
            abort(409, message=str(error))
        except services.TeamError as error:
            abort(422, message=str(error))
        shows_version(team)
        return _team(team)


@blueprint.route("/decisions")
@blueprint.doc(security=BEARER)
@blueprint.response(200, DecisionRecordSchema(many=True))
@blueprint.listing()
@require(*STAFF)
def decisions():
    """The city's open decisions (staff).

    Decisions of its meetings not done yet, the soonest deadline first, those without one
    last."""
    return services.open_decisions()


@blueprint.route("/meetings/<int:meeting_id>/registrations")
class Registrations(MethodView):
    @blueprint.doc(security=BEARER)
    @blueprint.response(200, RegistrationRecordSchema(many=True))
    @blueprint.listing()
    @require(*STAFF)
    def get(self, meeting_id: int):
        """Who registered for the meeting (the city's staff).

        In the order they registered."""
        return registration.of_meeting(meeting_for(meeting_id, "manage"))

    @blueprint.arguments(RegistrationRequestSchema)
    @blueprint.response(201, RegistrationRecordSchema)
    @blueprint.fails_with(410, 429)
    @public_mail_form
    def post(self, data, meeting_id: int):
        """Register for the meeting.

        An address the city does not know is `unconfirmed` until the link mailed to it is
        followed; then, or at once for a known address, `confirmed`, or `waiting` when the
        meeting is full. 410 when registration is closed; 429 when an address sends too
        many."""
        meeting = meeting_for(meeting_id, "register")
        try:
            return registration.register(meeting, g.tenant.slug, **data)
        except registration.AlreadyRegistered as error:
            abort(422, message=str(error))
        except registration.RegistrationClosed as error:
            abort(410, message=str(error))


VERSION_READ = "Send back the version of the meeting you read; a newer one answers 409."


class PublishSchema(Schema):
    version = fields.Integer(metadata={"description": VERSION_READ, "example": 3})
    note = fields.String(
        load_default="",
        validate=validate.Length(max=1000),
        metadata={
            "description": "What was corrected (for a correction of published minutes)",
            "example": "Uzupełniono listę obecności o przedstawicieli Rady Seniorów.",
        },
    )


class RegistrationSettingsSchema(Schema):
    version = fields.Integer(metadata={"description": VERSION_READ, "example": 3})
    registration_open = fields.Boolean(required=True, metadata={"example": True})
    capacity = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=DATABASE_INTEGER_MAX),
        metadata={"description": "Places; null: no limit", "example": 40},
    )
    registration_deadline = fields.Date(
        load_default=None, allow_none=True, metadata={"example": "2026-03-10"}
    )
    attendance_mode = fields.String(
        load_default="onsite",
        validate=validate.OneOf(list(ATTENDANCE_LABELS)),
        metadata={"description": "`onsite`, `online` or `hybrid`", "example": "onsite"},
    )
    questions = fields.List(
        fields.String(validate=validate.Length(min=1, max=500)),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={
            "description": "What registrants are asked, one question each",
            "example": ["Czy potrzebuje Pan/Pani tłumacza PJM?"],
        },
    )


class AttachmentFileSchema(Schema):
    # not required by the schema: who sends it is asked first, then what is missing (422)
    file = Upload(
        load_default=None,
        metadata={"description": "PDF, DOCX, ODT, PNG or JPG; checked by its content"},
    )


class AttachmentFormSchema(Schema):
    title = fields.String(
        load_default="",
        validate=validate.Length(max=300),
        metadata={"example": "Lista obecności (podpisana)"},
    )


class AttachmentSchema(Schema):
    id = fields.Integer(metadata={"example": 1})
    title = fields.String(metadata={"example": "Lista obecności (podpisana)"})
    file_name = fields.String(metadata={"example": "lista-obecnosci.pdf"})
    download = fields.Url(metadata={"description": "The file, for whoever may see the meeting"})


def _as_read(meeting: Meeting, data: dict) -> None:
    """The change starts from the version of the meeting the client read."""
    try:
        unit_of_work.check_version(meeting, version_read(meeting, data))
    except EditConflict as error:
        abort(409, message=str(error))


def _settings(meeting: Meeting) -> dict:
    return {
        "version": meeting.lock_version,
        **{name: getattr(meeting, name) for name in REGISTRATION_SETTINGS},
    }


REGISTRATION_SETTINGS = (
    "registration_open",
    "capacity",
    "registration_deadline",
    "attendance_mode",
    "questions",
)


@blueprint.route("/meetings/<int:meeting_id>/publish", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(PublishSchema)
@blueprint.response(200, MeetingSchema)
@blueprint.versioned()
@require(*STAFF)
def publish(data, meeting_id: int):
    """Publish the meeting, or a correction of its published minutes (staff).

    Before the meeting, publishing announces it (and opens registration if it is on);
    after it, anyone can read the minutes. A correction keeps the earlier text as a
    numbered version, with `note` saying what was corrected. State the version you read:
    `version` in the body (a newer one answers 409) or the ETag in `If-Match` (412)."""
    meeting = meeting_for(meeting_id, "manage")
    _as_read(meeting, data)
    services.publish(meeting, data["note"])
    shows_version(meeting)
    return _record(meeting)


@blueprint.route("/meetings/<int:meeting_id>/registration-settings", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(RegistrationSettingsSchema)
@blueprint.response(200, RegistrationSettingsSchema)
@blueprint.versioned()
@require(*STAFF)
def registration_settings(data, meeting_id: int):
    """Set whether and until when people may register for the meeting (staff).

    The whole settings, as the meeting's registration page sends them; places added go
    to the people on the waiting list at once. State the version of the meeting you read:
    `version` in the body (a newer one answers 409) or the ETag in `If-Match` (412)."""
    meeting = meeting_for(meeting_id, "manage")
    _as_read(meeting, data)
    registration.change_settings(meeting, g.tenant.slug, **data)
    shows_version(meeting)
    return _settings(meeting)


@blueprint.route("/meetings/<int:meeting_id>/attachments", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(AttachmentFileSchema, location="files")
@blueprint.arguments(AttachmentFormSchema, location="form")
@blueprint.response(201, AttachmentSchema)
@blueprint.fails_with(503)
@require(*STAFF)
def attach(files, form, meeting_id: int):
    """Attach a file to the meeting (staff): a signed attendance list, a presentation.

    multipart/form-data with `title` and `file`. The file is checked by its content, as
    on the meeting's page: anything but a PDF, DOCX, ODT, PNG or JPG, an empty file or one
    over the size limit answers 422 with the reason; 503 when the file store is down."""
    meeting = meeting_for(meeting_id, "manage")
    if not form["title"].strip() or files["file"] is None:
        abort(422, message=_("Give the attachment a title and choose a file."))
    try:
        upload = from_form(files["file"], DOCUMENTS | IMAGES)
        if upload is None:
            abort(422, message=_("Give the attachment a title and choose a file."))
        attachment = services.attach(meeting, form["title"], upload)
    except StorageUnavailable as error:
        abort(503, message=str(error))
    except UploadRejected as error:
        abort(422, message=str(error))
    return {
        "id": attachment.id,
        "title": attachment.title,
        "file_name": attachment.file_name,
        "download": url_for("meetings.attachment", attachment_id=attachment.id, _external=True),
    }


@blueprint.route(
    "/meetings/<int:meeting_id>/registrations/<int:event_registration_id>/remove",
    methods=["POST"],
)
@blueprint.doc(security=BEARER)
@blueprint.response(200, RegistrationRecordSchema)
@blueprint.fails_with(409)
@require(*STAFF)
def remove_registration(meeting_id: int, event_registration_id: int):
    """Remove a registration as the organiser (staff).

    It stays on the list as `cancelled`; a confirmed place it frees goes to the first
    person on the waiting list. 409 when it is cancelled already or the meeting is over."""
    meeting = meeting_for(meeting_id, "manage")
    record = event_registration_for(event_registration_id, "remove")
    if record.meeting_id != meeting.id:
        abort(404)
    problem = registration.why_not_cancellable(record, meeting)
    if problem:
        abort(409, message=problem)
    registration.cancel(record, meeting, g.tenant.slug)
    return record


@blueprint.route("/decisions/<int:decision_id>/done", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.response(200, DecisionRecordSchema)
@require(*STAFF)
def decision_done(decision_id: int):
    """Mark a decision of a meeting as done today (staff).

    Done on the city's today; it leaves the list of open decisions."""
    decision = decision_for(decision_id, "manage")
    services.mark_done(decision, clock.today())
    return decision
