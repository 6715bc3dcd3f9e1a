"""Minutes as a document laid out like seed 000: heading, facts, agenda, "Ad. 1" sections,
materials and attachments, signature line."""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import Schema, fields
from sqlalchemy import select

from app import exports
from app.accounts.permissions import get_or_404
from app.exports import Document, Quadrant, builder
from app.exports.doors import ExportRefused, door
from app.extensions import db
from app.i18n import when
from app.meetings import services
from app.meetings.access import meeting_for
from app.meetings.catalogue import QUADRANT_LABELS
from app.meetings.models import Meeting, Team

QUADRANTS = QUADRANT_LABELS.items()


@builder("minutes", page="meetings.export")
def minutes_document(meeting_id: int) -> tuple[Document, str]:
    meeting = db.session.execute(select(Meeting).where(Meeting.id == meeting_id)).scalar_one()
    document = Document(_("MINUTES OF THE MEETING: %(title)s", title=meeting.title.upper()))
    time_range = " – ".join(when(t, "time") for t in (meeting.starts_at, meeting.ends_at) if t)
    facts = [
        (_("Topic of the meeting"), meeting.topic),
        (_("Date"), when(meeting.held_on, "official_numeric_day")),
        (_("Time"), time_range),
        (_("Place"), meeting.place or meeting.online_url or ""),
        (_("Facilitator"), meeting.facilitator),
        (_("Organiser"), meeting.organiser),
    ]
    for label, value in facts:
        document.paragraph(f"{label}: {value}" if value else "")
    document.heading(_("Goal of the meeting"), level=3).markdown(meeting.goal)
    document.heading(_("Addressees of the meeting"), level=3).markdown(meeting.addressees)
    participation = services.participation(meeting)
    if participation is not None:
        document.heading(_("Number of participants"), level=3).paragraph(participation)
    document.heading(_("Agenda"), level=3).numbered([item.title for item in meeting.agenda])
    for i, item in enumerate(meeting.agenda, start=1):
        document.heading(f"Ad. {i}", level=3).markdown(item.minutes, heading_level=4)
        for speaker in item.speakers:
            who = (
                f"{speaker.person} ({speaker.organisation})"
                if speaker.organisation
                else speaker.person
            )
            document.markdown(f"**{who}:** {speaker.statement}")
    if meeting.decisions:
        document.heading(_("Decisions and findings"), level=3).bullets(
            [
                d.text
                + (f" — {d.responsible}" if d.responsible else "")
                + (f", {when(d.due_on)}" if d.due_on else "")
                for d in meeting.decisions
            ]
        )
    for group in meeting.groups:
        document.heading(group.name, level=3).markdown(group.result, heading_level=4)
    grouped = services.swot_by_quadrant(meeting.swot)
    if meeting.swot:
        document.heading(_("SWOT analysis"), level=3).grid(
            [
                Quadrant(str(label), [s.text for s in grouped[q]])
                for q, label in QUADRANT_LABELS.items()
            ]
        )
    if meeting.materials:
        document.heading(_("Materials handed out"), level=3).bullets(meeting.materials)
    if meeting.attachments:
        document.heading(_("Attachments"), level=3).numbered([a.title for a in meeting.attachments])
    document.footer = _("Minutes taken by: %(name)s", name=meeting.minutes_taker)
    if meeting.written_on:
        written_on = when(meeting.written_on, "official_numeric_day")
        document.footer += "\n" + _("Date: %(date)s", date=written_on)
    return document, f"protokół-{meeting.held_on.isoformat()}"


BLANK_ROWS = 25  # room for those who come without registering


@builder("attendance_sheet", page="meetings.export")
def attendance_sheet(meeting_id: int) -> tuple[Document, str]:
    """Lista obecności to print and sign; the signed scan is attached to the minutes."""
    meeting = db.session.execute(select(Meeting).where(Meeting.id == meeting_id)).scalar_one()
    document = Document(
        _("ATTENDANCE LIST"),
        subtitle=f"{meeting.title}, " + when(meeting.held_on, "official_numeric_day"),
    )
    rows = [[str(i), a.name, a.organisation, ""] for i, a in enumerate(meeting.attendees, start=1)]
    rows += [[str(len(rows) + i), "", "", ""] for i in range(1, BLANK_ROWS + 1)]
    document.add_table([_("No"), _("Full name"), _("Organisation or unit"), _("Signature")], rows)
    return document, f"lista-obecności-{meeting.held_on.isoformat()}"


@builder("registrations", page="meetings.export")
def registrations_document(meeting_id: int) -> tuple[Document, str]:
    from app.meetings.registration import of_meeting

    meeting = db.session.execute(select(Meeting).where(Meeting.id == meeting_id)).scalar_one()
    labels = {
        "confirmed": _("confirmed"),
        "waiting": _("waiting list"),
        "cancelled": _("cancelled"),
    }
    document = Document(_("Registrations"), subtitle=meeting.title)
    document.add_table(
        [
            _("Full name"),
            _("E-mail"),
            _("Organisation or institution"),
            _("Status"),
            *meeting.questions,
        ],
        [
            [r.name, r.email, r.organisation, labels[r.status], *r.answers]
            for r in of_meeting(meeting)
        ],
        caption=_("Registrations"),
    )
    return document, f"rejestracje-{meeting.held_on.isoformat()}"


@builder("swot", page="meetings.export_swot")
def swot_document(
    team_id: int | None = None, programme_id: int | None = None
) -> tuple[Document, str]:
    """The combined SWOT of a team's or a programme cycle's meetings."""
    meetings = services.meetings_of(team_id=team_id, programme_id=programme_id, public_only=False)
    grouped = services.combined_swot([m.id for m in meetings])
    titles = {m.id: m.title for m in meetings}
    document = Document(
        _("SWOT analysis"),
        subtitle="; ".join(f"{when(m.held_on)} {m.title}" for m in meetings),
    )

    def text(item) -> str:
        # which meeting an item came from, when several meetings make up the analysis
        return f"{item.text} ({titles[item.meeting_id]})" if len(meetings) > 1 else item.text

    document.grid(
        [Quadrant(str(label), [text(item) for item in grouped[q]]) for q, label in QUADRANTS]
    )
    return document, "analiza-swot"


# The pages that start these exports, and what both doors (the page and the API) call.


def start_meeting_export(document: str, file_format: str, meeting_id: int):
    meeting = meeting_for(meeting_id, "manage")
    return exports.start(document, file_format, meeting_id=meeting.id)


def start_swot_export(
    document: str, file_format: str, team_id: int | None = None, programme_id: int | None = None
):
    if not (team_id or programme_id):
        raise ExportRefused(_("Choose the team or the programme whose SWOT to export."))
    if team_id:
        get_or_404(Team, team_id)
    if programme_id:
        from app.programmes.models import Programme

        get_or_404(Programme, programme_id)
    return exports.start(document, file_format, team_id=team_id, programme_id=programme_id)


class SwotExportSchema(Schema):
    team_id = fields.Integer(
        load_default=None, metadata={"description": "The team whose SWOT to export", "example": 1}
    )
    programme_id = fields.Integer(
        load_default=None,
        metadata={"description": "Or the programme cycle whose SWOT to export", "example": 1},
    )


door(
    "meetings.export",
    start_meeting_export,
    summary="Export a meeting's minutes, attendance sheet or registrations",
    description="Staff of the city. The minutes as seed 000 lays them out, the attendance "
    "sheet to sign, or the list of people registered.",
)
door(
    "meetings.export_swot",
    start_swot_export,
    arguments=SwotExportSchema,
    summary="Export the combined SWOT of a team or a programme cycle",
    description="Staff of the city. The four quadrants as a grid; name the team or the "
    "programme (one of them is required).",
)
