from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    Form,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.accounts.models import User
from app.fields import DecimalField, IntegerField, PageForm, TextAreaField
from app.notifications.services import city_staff
from app.organisations.catalogue import PUBLIC_BENEFIT_AREAS, area_label
from app.programmes.catalogue import (
    ANSWER_LABELS,
    AREA_LABELS,
    ELEMENTS,
    FORMS_CATALOGUE,
    KIND_LABELS,
    MILESTONE_LABELS,
    TEXT_ELEMENTS,
)
from app.rows import Rows
from app.tenancy.context import current_tenant_id


def _areas():
    return [SelectChoice(str(area.value), label) for area, label in AREA_LABELS.items()]


def _benefit_areas():
    return [SelectChoice(code, area_label(code)) for code in PUBLIC_BENEFIT_AREAS]


class NewProgrammeForm(PageForm):
    kind = SelectField(
        _l("Kind"), choices=lambda: [SelectChoice(k.value, v) for k, v in KIND_LABELS.items()]
    )
    year_from = IntegerField(_l("First year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    year_to = IntegerField(_l("Last year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Create the draft"))

    def validate_year_to(self, field) -> None:
        if self.year_from.data and field.data and field.data < self.year_from.data:
            raise ValidationError(_l("The last year cannot come before the first."))


class CopyForm(PageForm):
    submit = SubmitField(_l("Start from last year's programme"))


class PrincipleRow(Form):
    name = StringField(_l("Principle"), validators=[Optional(), Length(max=200)])
    definition = TextAreaField(_l("Definition"), validators=[Optional(), Length(max=3000)])


class FormRow(Form):
    area = SelectField(_l("Area"), choices=_areas)
    financial = BooleanField(_l("financial"))
    description = TextAreaField(
        _l("Form of cooperation"), validators=[Optional(), Length(max=2000)]
    )


class TaskRow(Form):
    area_code = SelectField(_l("Area of public benefit"), choices=_benefit_areas)
    description = TextAreaField(_l("Priority task"), validators=[Optional(), Length(max=2000)])


class IndicatorRow(Form):
    name = StringField(_l("Indicator"), validators=[Optional(), Length(max=300)])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=40)])
    planned = DecimalField(_l("Planned value"), places=2, validators=[Optional()])


class ContentForm(PageForm):
    version = HiddenField()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    budget = DecimalField(
        _l("Planned budget (PLN)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    proposals_from = DateField(_l("Proposals from"), validators=[Optional()])
    proposals_to = DateField(_l("Proposals until"), validators=[Optional()])
    consultation_from = DateField(_l("Consultation from"), validators=[Optional()])
    consultation_to = DateField(_l("Consultation until"), validators=[Optional()])
    goals = TextAreaField(ELEMENTS["goals"], validators=[Length(max=20000)])
    scope = TextAreaField(ELEMENTS["scope"], validators=[Length(max=20000)])
    implementation = TextAreaField(ELEMENTS["implementation"], validators=[Length(max=20000)])
    evaluation = TextAreaField(ELEMENTS["evaluation"], validators=[Length(max=20000)])
    creation = TextAreaField(ELEMENTS["creation"], validators=[Length(max=20000)])
    commissions = TextAreaField(ELEMENTS["commissions"], validators=[Length(max=20000)])
    principles = Rows(PrincipleRow, key="name")
    forms = Rows(FormRow, key="description")
    catalogue = SelectMultipleField(
        _l("Add forms from the catalogue"),
        choices=lambda: [
            SelectChoice(str(i), text) for i, (_, _, text) in enumerate(FORMS_CATALOGUE)
        ],
        validators=[Optional()],
    )
    priority_tasks = Rows(TaskRow, key="description")
    indicators = Rows(IndicatorRow, key="name")
    submit = SubmitField(_l("Save"))

    def validate_proposals_to(self, field) -> None:
        _check_window(self.proposals_from.data, field.data)

    def validate_consultation_to(self, field) -> None:
        _check_window(self.consultation_from.data, field.data)

    def texts(self) -> dict[str, str]:
        return {key: getattr(self, key).data or "" for key in TEXT_ELEMENTS}


def _check_window(start, end) -> None:
    if (start is None) != (end is None):
        raise ValidationError(_l("Give both dates of the window."))
    if start and end and end < start:
        raise ValidationError(_l("The window cannot end before it starts."))


class MilestoneRow(Form):
    title = StringField(_l("Step"), validators=[Optional(), Length(max=500)])
    starts_on = DateField(_l("From"), validators=[Optional()])
    ends_on = DateField(_l("To"), validators=[Optional()])
    responsible = StringField(_l("Responsible unit"), validators=[Optional(), Length(max=300)])
    status = SelectField(
        _l("Status"),
        choices=lambda: [SelectChoice(k.value, v) for k, v in MILESTONE_LABELS.items()],
    )

    def validate(self, extra_validators=None) -> bool:
        # Inline validate_<field> methods do not run on an empty Optional() field, so the
        # rules that join the two dates live here. A step with no end lasts one day.
        valid = super().validate(extra_validators)
        if self.title.data and not self.starts_on.data and not self.starts_on.errors:
            self.starts_on.errors.append(_l("Give the date this step starts on."))
            valid = False
        start, end = self.starts_on.data, self.ends_on.data
        if start and end and end < start:
            self.ends_on.errors.append(_l("The step cannot end before it starts."))
            valid = False
        return valid


class ScheduleForm(PageForm):
    milestones = Rows(MilestoneRow, key="title", empty=3)
    submit = SubmitField(_l("Save the schedule"))


class StageForm(PageForm):
    stage = HiddenField(validators=[DataRequired()])
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Move to the next stage"))


class AdoptionForm(PageForm):
    resolution_number = StringField(
        _l("Resolution number"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("For example: XLVI/570/2023"),
    )
    resolution_date = DateField(_l("Date of the resolution"), validators=[DataRequired()])
    resolution_file = FileField(_l("The resolution (PDF, DOCX or ODT)"))
    submit = SubmitField(_l("Record the adoption"))


class AmendmentStartForm(PageForm):
    reason = TextAreaField(
        _l("What the amendment changes and why"),
        validators=[DataRequired(), Length(max=5000)],
    )
    submit = SubmitField(_l("Start an amendment"))


class AmendmentForm(PageForm):
    resolution_number = StringField(
        _l("Number of the amending resolution"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("For example: XII/150/2024"),
    )
    resolution_date = DateField(_l("Date of the amending resolution"), validators=[DataRequired()])
    submit = SubmitField(_l("Record the amending resolution"))


class EarlyClosingForm(PageForm):
    reason = TextAreaField(
        _l("Why it closes before the announced end (published)"),
        validators=[DataRequired(), Length(max=2000)],
    )
    submit = SubmitField(_l("Close early"))


class ProposalForm(PageForm):
    organisation_id = SelectField(_l("On behalf of"), coerce=int)
    element = SelectField(
        _l("Part of the programme"),
        choices=lambda: [SelectChoice(key, label) for key, label in ELEMENTS.items()],
    )
    proposed_text = TextAreaField(
        _l("Proposed text"), validators=[DataRequired(), Length(max=10000)]
    )
    justification = TextAreaField(_l("Justification"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Send the proposal"))


class ForwardForm(PageForm):
    """To a person of the city's office: `person.choices` are the city's staff accounts."""

    person = SelectField(_l("Forward to"), coerce=int, validators=[DataRequired()])
    submit = SubmitField(_l("Forward"))

    def chosen(self) -> User:
        return next(person for person in self.staff if person.id == self.person.data)


def forward_form() -> ForwardForm:
    """Only the city's own staff can be chosen: another city's account is not a choice."""
    form = ForwardForm()
    city = current_tenant_id()
    form.staff = city_staff(city) if city is not None else []
    form.person.choices = [(person.id, person.name) for person in form.staff]
    return form


class AnswerForm(PageForm):
    verdict = SelectField(
        _l("Answer"),
        choices=lambda: [SelectChoice(a.value, label) for a, label in ANSWER_LABELS.items()],
    )
    justification = TextAreaField(_l("Justification"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save the answer"))


class CommentForm(PageForm):
    organisation_id = SelectField(_l("On behalf of"), coerce=int)
    element = SelectField(
        _l("Part of the programme"),
        choices=lambda: [SelectChoice(key, label) for key, label in ELEMENTS.items()],
    )
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=10000)])
    submit = SubmitField(_l("Send the comment"))


class CommentAnswerForm(PageForm):
    answer = TextAreaField(_l("Answer"), validators=[DataRequired(), Length(max=5000)])
    taken_into_account = SelectField(
        _l("Taken into account"),
        choices=lambda: [
            SelectChoice("yes", _l("yes")),
            SelectChoice("partly", _l("partly")),
            SelectChoice("no", _l("no")),
        ],
    )
    submit = SubmitField(_l("Save the answer"))


class OpinionForm(PageForm):
    body = StringField(
        _l("Body giving the opinion"),
        validators=[DataRequired(), Length(max=300)],
        description=_l(
            "For example: Rada Działalności Pożytku Publicznego, "
            "Leszczyńska Rada Seniorów, Wydział Spraw Społecznych"
        ),
    )
    given_on = DateField(_l("Date of the opinion"), validators=[DataRequired()])
    text = TextAreaField(_l("Text of the opinion"), validators=[Optional(), Length(max=20000)])
    attachment = FileField(_l("Document (PDF, DOCX or ODT)"))
    submit = SubmitField(_l("Record the opinion"))


class ActualRow(Form):
    actual = DecimalField(_l("Actual value"), places=2, validators=[Optional()])


class ReportForm(PageForm):
    version = HiddenField()
    report_tasks_commissioned = IntegerField(
        _l("Public tasks commissioned to organisations"),
        validators=[Optional(), NumberRange(min=0)],
    )
    report_amount_spent = DecimalField(
        _l("Money spent (PLN)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    report_summary = TextAreaField(
        _l("Summary of the implementation"), validators=[Optional(), Length(max=20000)]
    )
    report_published_on = DateField(_l("Published in BIP on"), validators=[Optional()])
    # the indicators of the programme, each kept by its id; none is added here
    indicators = Rows(ActualRow, key="id", empty=0)
    submit = SubmitField(_l("Save the report"))


class ExportForm(PageForm):
    document = HiddenField(validators=[DataRequired()])
    file_format = SelectField(
        _l("Format"),
        choices=[
            SelectChoice("pdf", "PDF"),
            SelectChoice("docx", "DOCX (Word)"),
            SelectChoice("odt", "ODT (LibreOffice)"),
            SelectChoice("xlsx", "XLSX (Excel)"),
        ],
    )
    submit = SubmitField(_l("Export"))


class YearReportForm(PageForm):
    """The report on one year of a multi-year programme; the year is chosen when it is filed,
    and fixed after."""

    version = HiddenField()
    year = SelectField(_l("Year reported on"), coerce=int, choices=[])
    submitted_on = DateField(_l("Handed to the council on"), validators=[Optional()])
    published_on = DateField(_l("Published in BIP on"), validators=[DataRequired()])
    document = FileField(_l("The report (PDF, DOCX or ODT)"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save the year's report"))


class WithdrawForm(PageForm):
    submit = SubmitField(_l("Withdraw this report"))
