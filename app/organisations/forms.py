from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from app.fields import PageForm, TextAreaField
from app.organisations import identifiers
from app.organisations.catalogue import (
    LEGAL_FORMS,
    PUBLIC_BENEFIT_AREAS,
    STATUS_LABELS,
    area_label,
)
from app.organisations.models import Organisation, RegistrationStatus


def _legal_forms():
    return [SelectChoice(value, label) for value, label in LEGAL_FORMS.items()]


def _areas():
    return [SelectChoice(code, area_label(code)) for code in PUBLIC_BENEFIT_AREAS]


def _member_roles():
    return [
        SelectChoice("editor", _l("editor: keeps the profile up to date")),
        SelectChoice("representative", _l("representative: also invites others")),
    ]


class _Identifier:
    """Validates and normalises a registry number with its cleaner."""

    def __init__(self, cleaner) -> None:
        self.cleaner = cleaner

    def __call__(self, form, field) -> None:
        try:
            field.data = self.cleaner(field.data)
        except identifiers.InvalidIdentifier as error:
            raise ValidationError(identifier_message(error)) from error


def identifier_message(error: identifiers.InvalidIdentifier) -> str:
    from flask_babel import gettext as _

    messages = {
        "checksum": _("%(kind)s has a wrong check digit: check for a typo.", kind=error.kind),
        "length": _("%(kind)s has the wrong number of digits.", kind=error.kind),
        "digits": _("%(kind)s may contain digits only.", kind=error.kind),
    }
    return messages[error.reason]


class OrganisationForm(PageForm):
    name = StringField(_l("Name of the organisation"), validators=[DataRequired(), Length(max=300)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=120)])
    legal_form = SelectField(_l("Legal form"), choices=_legal_forms)
    krs = StringField(
        _l("KRS number"),
        validators=[Optional(), _Identifier(identifiers.clean_krs)],
        description=_l("10 digits; an ordinary association has none."),
    )
    nip = StringField("NIP", validators=[Optional(), _Identifier(identifiers.clean_nip)])
    regon = StringField(
        "REGON",
        validators=[Optional(), _Identifier(identifiers.clean_regon)],
        description=_l("9 or 14 digits."),
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    website = StringField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])
    description = TextAreaField(
        _l("What the organisation does"), validators=[Optional(), Length(max=5000)]
    )
    areas = SelectMultipleField(
        _l("Areas of public benefit"),
        choices=_areas,
        description=_l("Art. 4 sec. 1 of the Act on public benefit activity; choose one or more."),
    )
    public_benefit = BooleanField(_l("Public benefit organisation (OPP status)"))
    create_anyway = BooleanField(_l("This is a different organisation: create it anyway"))
    version = HiddenField()  # the version of the profile the person started from
    submit = SubmitField(_l("Save"))

    def profile(self) -> dict:
        values = {name: getattr(self, name).data or None for name in Organisation.PROFILE_FIELDS}
        values["name"] = self.name.data.strip()
        values["public_benefit"] = bool(self.public_benefit.data)
        return values


class LinkForm(PageForm):
    organisation_id = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Add this organisation to our register"))


def _statuses():
    return [
        SelectChoice(status.value, STATUS_LABELS[status.value]) for status in RegistrationStatus
    ]


class CityRecordForm(PageForm):
    status = SelectField(_l("Status in this register"), choices=_statuses)
    fields_of_activity = TextAreaField(
        _l("Fields of activity here"), validators=[Optional(), Length(max=2000)]
    )
    contact_name = StringField(
        _l("Contact person for this local government"), validators=[Optional(), Length(max=200)]
    )
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email()])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)])
    notes = TextAreaField(
        _l("The office's notes"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Only this office's staff see them."),
    )
    tags = StringField(
        _l("Tags"),
        validators=[Optional(), Length(max=500)],
        description=_l("Separated by commas; only this office's staff see them."),
    )
    version = HiddenField()  # the version of the record the person started from
    submit = SubmitField(_l("Save"))

    REGISTRATION_FIELDS = ("fields_of_activity", "contact_name", "contact_email", "contact_phone")


class ApplyForm(PageForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    fields_of_activity = TextAreaField(
        _l("What you do or plan to do here"), validators=[Optional(), Length(max=2000)]
    )
    contact_name = StringField(
        _l("Contact person for this local government"), validators=[Optional(), Length(max=200)]
    )
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email()])
    submit = SubmitField(_l("Ask to be registered"))


class DecisionForm(PageForm):
    reason = TextAreaField(
        _l("Reason (required when declining)"), validators=[Optional(), Length(max=2000)]
    )
    approve = SubmitField(_l("Accept"))
    decline = SubmitField(_l("Decline"))


class InvitationAnswerForm(PageForm):
    reason = TextAreaField(
        _l("Reason (optional, the office reads it)"), validators=[Optional(), Length(max=2000)]
    )
    accept = SubmitField(_l("Accept"))
    decline = SubmitField(_l("Decline"))


class ImportUploadForm(PageForm):
    file = FileField(
        _l("The list of organisations"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "xlsx", "ods"], _l("Choose a CSV, XLSX or ODS file.")),
        ],
        description=_l(
            "CSV (UTF-8 or Windows-1250), XLSX or ODS, with a header row: "
            "Nazwa, KRS, NIP, REGON, Adres, E-mail, Telefon…"
        ),
    )
    submit = SubmitField(_l("Show what would be imported"))


class MemberInviteForm(PageForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    role = SelectField(_l("Role"), choices=_member_roles)
    submit = SubmitField(_l("Send the invitation"))


class FindOrganisationForm(PageForm):
    """Sent by GET: finding is reading, and the number stays in the address to share."""

    class Meta:
        csrf = False

    number = StringField(
        _l("KRS, NIP or REGON of the organisation"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("KRS and NIP have 10 digits, REGON 9 or 14."),
    )
    submit = SubmitField(_l("Find"))


class ClaimForm(PageForm):
    number = HiddenField(validators=[DataRequired(), Length(max=40)])
    function = StringField(
        _l("Your function in the organisation"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("For example: president of the board, board member, coordinator."),
    )
    # Asked only where several cities could confirm; the service checks the city given.
    city = SelectField(_l("The city to confirm it"), coerce=str, validate_choice=False)
    submit = SubmitField(_l("Ask to act for this organisation"))


class ClaimAnswerForm(PageForm):
    """The representatives' answer: they also say what the person may do."""

    role = SelectField(_l("As"), choices=_member_roles, default="editor")
    reason = TextAreaField(
        _l("Reason (optional, the person reads it)"), validators=[Optional(), Length(max=2000)]
    )
    accept = SubmitField(_l("Accept"))
    refuse = SubmitField(_l("Refuse"))


class ClaimDecisionForm(PageForm):
    """The city's decision where the organisation has no representative: the person becomes
    its representative."""

    reason = TextAreaField(
        _l("Reason (optional, the person reads it)"), validators=[Optional(), Length(max=2000)]
    )
    accept = SubmitField(_l("Accept"))
    refuse = SubmitField(_l("Refuse"))


class NewOrganisationForm(OrganisationForm):
    """An organisation new to Razem, registered by one of its people, who asks cities to
    add it to their registers."""

    cities = SelectMultipleField(
        _l("Ask these cities to register it"),
        validate_choice=False,
        description=_l("Each city's NGO office checks the request and answers by e-mail."),
    )


class InviteRepresentativeForm(PageForm):
    email = EmailField(_l("E-mail of its representative"), validators=[DataRequired(), Email()])
    submit = SubmitField(_l("Invite the representative"))
