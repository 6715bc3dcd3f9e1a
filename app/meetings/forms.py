from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Form,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional

from app.fields import IntegerField, PageForm, TextAreaField
from app.meetings.catalogue import ATTENDANCE_LABELS, MEMBER_ROLE_LABELS, TEAM_KIND_LABELS
from app.rows import Rows


class AgendaRow(Form):
    title = StringField(_l("Agenda item"), validators=[Optional(), Length(max=2000)])
    minutes = TextAreaField(
        _l("Minutes of this item (Markdown)"), validators=[Optional(), Length(max=50000)]
    )


class SpeakerRow(Form):
    item = IntegerField(_l("Agenda item number"), validators=[Optional(), NumberRange(min=1)])
    person = StringField(_l("Person"), validators=[Optional(), Length(max=300)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=300)])
    statement = TextAreaField(
        _l("What they asked or said"), validators=[Optional(), Length(max=5000)]
    )


class DecisionRow(Form):
    text = TextAreaField(_l("Decision or finding"), validators=[Optional(), Length(max=5000)])
    responsible = StringField(
        _l("Responsible person or unit"), validators=[Optional(), Length(max=300)]
    )
    responsible_email = EmailField(
        _l("Their e-mail (for reminders)"), validators=[Optional(), Email()]
    )
    due_on = DateField(_l("Deadline"), validators=[Optional()])


class GroupRow(Form):
    name = StringField(_l("Workshop group"), validators=[Optional(), Length(max=300)])
    result = TextAreaField(
        _l("Result of the group (Markdown)"), validators=[Optional(), Length(max=20000)]
    )


class AttendeeRow(Form):
    name = StringField(_l("Full name"), validators=[Optional(), Length(max=300)])
    organisation = StringField(_l("Organisation or unit"), validators=[Optional(), Length(max=300)])
    official = BooleanField(_l("official"))


class MeetingForm(PageForm):
    version = HiddenField()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    topic = TextAreaField(_l("Topic of the meeting"), validators=[Optional(), Length(max=5000)])
    held_on = DateField(_l("Date"), validators=[DataRequired()])
    starts_at = TimeField(_l("Starts at"), validators=[Optional()])
    ends_at = TimeField(_l("Ends at"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=500)])
    online_url = StringField(_l("Online link"), validators=[Optional(), URL(), Length(max=500)])
    facilitator = StringField(_l("Facilitator"), validators=[Optional(), Length(max=300)])
    organiser = StringField(_l("Organiser"), validators=[Optional(), Length(max=300)])
    goal = TextAreaField(_l("Goal of the meeting"), validators=[Optional(), Length(max=5000)])
    addressees = TextAreaField(_l("Addressees"), validators=[Optional(), Length(max=5000)])
    people_count = IntegerField(
        _l("People (when no attendance list is kept)"), validators=[Optional(), NumberRange(min=0)]
    )
    organisations_count = IntegerField(
        _l("Organisations represented"), validators=[Optional(), NumberRange(min=0)]
    )
    officials_count = IntegerField(_l("Officials"), validators=[Optional(), NumberRange(min=0)])
    agenda = Rows(AgendaRow, key="title")
    speakers = Rows(SpeakerRow, key="person")
    decisions = Rows(DecisionRow, key="text")
    groups = Rows(GroupRow, key="name")
    strengths = TextAreaField(_l("Strengths (one per line)"), validators=[Optional()])
    weaknesses = TextAreaField(_l("Weaknesses (one per line)"), validators=[Optional()])
    opportunities = TextAreaField(_l("Opportunities (one per line)"), validators=[Optional()])
    threats = TextAreaField(_l("Threats (one per line)"), validators=[Optional()])
    attendees = Rows(AttendeeRow, key="name")
    materials = TextAreaField(_l("Materials handed out (one per line)"), validators=[Optional()])
    minutes_taker = StringField(_l("Minutes taken by"), validators=[Optional(), Length(max=300)])
    written_on = DateField(_l("Minutes written on"), validators=[Optional()])
    team_id = SelectField(
        _l("Team"), coerce=lambda v: int(v) if v else None, validators=[Optional()]
    )
    programme_id = SelectField(
        _l("Programme cycle it serves"),
        coerce=lambda v: int(v) if v else None,
        validators=[Optional()],
    )
    thematic_block_id = SelectField(
        _l("Regional standards project and its thematic block"),
        coerce=lambda v: int(v) if v else None,
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save"))


class PublishForm(PageForm):
    note = StringField(
        _l("What was corrected (for a correction)"), validators=[Optional(), Length(max=1000)]
    )
    submit = SubmitField(_l("Publish"))


class AttachmentForm(PageForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("For example: lista obecności (signed)"),
    )
    file = FileField(_l("File (PDF, DOCX, ODT, PNG or JPG)"), validators=[FileRequired()])
    submit = SubmitField(_l("Attach"))


class TeamMemberRow(Form):
    name = StringField(_l("Full name"), validators=[Optional(), Length(max=300)])
    organisation = StringField(_l("Organisation or unit"), validators=[Optional(), Length(max=300)])
    role = SelectField(
        _l("Role"), choices=lambda: [SelectChoice(k, v) for k, v in MEMBER_ROLE_LABELS.items()]
    )


class TeamForm(PageForm):
    version = HiddenField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(
        _l("Kind"), choices=lambda: [SelectChoice(k, v) for k, v in TEAM_KIND_LABELS.items()]
    )
    area = StringField(
        _l("Area"),
        validators=[Optional(), Length(max=300)],
        description=_l("For example: Edukacja; Kultura; Ekologia"),
    )
    description = TextAreaField(_l("What the team does"), validators=[Optional(), Length(max=5000)])
    members = Rows(TeamMemberRow, key="name", empty=4)
    submit = SubmitField(_l("Save"))


class RegistrationSettingsForm(PageForm):
    registration_open = BooleanField(_l("People can register"))
    capacity = IntegerField(_l("Places"), validators=[Optional(), NumberRange(min=1)])
    registration_deadline = DateField(_l("Registration until"), validators=[Optional()])
    attendance_mode = SelectField(
        _l("Form"),
        choices=lambda: [SelectChoice(mode, label) for mode, label in ATTENDANCE_LABELS.items()],
    )
    questions = TextAreaField(
        _l("Questions to registrants (one per line)"), validators=[Optional(), Length(max=3000)]
    )
    submit = SubmitField(_l("Save the registration settings"))


class RegisterForm(PageForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=300)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    organisation = StringField(
        _l("Organisation or institution"), validators=[Optional(), Length(max=300)]
    )
    # a honeypot: hidden from people and assistive technology, filled in by robots
    website = StringField(_l("Leave this field empty"))
    submit = SubmitField(_l("Register"))
