from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    Form,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from app.fields import IntegerField, PageForm, TextAreaField
from app.regions.models import ADOPTION_LABELS
from app.rows import Rows


class AdoptionForm(PageForm):
    version = HiddenField(validators=[Optional(), Regexp(r"^\d+$")])
    status = SelectField(
        _l("Status"),
        choices=lambda: [SelectChoice(k, v) for k, v in ADOPTION_LABELS.items()],
        validators=[DataRequired()],
    )
    evidence = StringField(
        _l("Evidence"),
        validators=[Optional(), Length(max=500)],
        description=_l("A resolution number or a link, e.g. Uchwała nr XLII/512/2013"),
    )
    evidence_file = FileField(
        _l("Evidence document (PDF, DOCX or ODT)"),
        description=_l("The resolution or order as a file; a new file replaces the earlier one."),
    )
    decided_on = DateField(_l("Date"), validators=[Optional()])
    notes = TextAreaField(
        _l("Notes for the office"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Only your city hall sees these; the region's coordinator does not."),
    )
    submit = SubmitField(_l("Save and send for review"))


class ReviewForm(PageForm):
    comment = TextAreaField(_l("Comment for the office"), validators=[Optional(), Length(max=2000)])
    accept = SubmitField(_l("Accept"))
    send_back = SubmitField(_l("Send back"))


class ExportForm(PageForm):
    file_format = SelectField(
        _l("Format"),
        choices=[
            SelectChoice("xlsx", "XLSX"),
            SelectChoice("csv", "CSV"),
            SelectChoice("pdf", "PDF"),
        ],
    )
    submit = SubmitField(_l("Export"))


class BenchmarkExportForm(PageForm):
    year = HiddenField(validators=[DataRequired()])
    file_format = SelectField(
        _l("Format"),
        choices=[SelectChoice("pdf", "PDF"), SelectChoice("xlsx", "XLSX")],
    )
    submit = SubmitField(_l("Export"))


class ProjectReportForm(PageForm):
    """The period of a project's report: within the project, the first day before the last."""

    first = DateField(_l("From"), validators=[InputRequired()])
    last = DateField(_l("To"), validators=[InputRequired()])
    file_format = SelectField(
        _l("Format"),
        choices=[
            SelectChoice("pdf", "PDF"),
            SelectChoice("xlsx", "XLSX"),
            SelectChoice("docx", "DOCX"),
            SelectChoice("odt", "ODT"),
        ],
    )
    submit = SubmitField(_l("Prepare the report"))

    def __init__(self, *args, project_period=(None, None), **kwargs):
        super().__init__(*args, **kwargs)
        self.project_starts_on, self.project_ends_on = project_period
        if not self.is_submitted():
            self.first.data, self.last.data = project_period

    def validate_first(self, field) -> None:
        if field.data and self.project_starts_on and field.data < self.project_starts_on:
            raise ValidationError(
                _l(
                    "The period cannot start before the project (%(date)s).",
                    date=self.project_starts_on.isoformat(),
                )
            )

    def validate_last(self, field) -> None:
        if field.data is None:
            return  # not a date: the field says so
        if self.first.data and field.data < self.first.data:
            raise ValidationError(_l("The period cannot end before it starts."))
        if self.project_ends_on and field.data > self.project_ends_on:
            raise ValidationError(
                _l(
                    "The period cannot end after the project (%(date)s).",
                    date=self.project_ends_on.isoformat(),
                )
            )


class BlockRow(Form):
    title = StringField(_l("Thematic block"), validators=[Optional(), Length(max=300)])


class GroupRow(Form):
    name = StringField(_l("Standardisation group"), validators=[Optional(), Length(max=300)])
    office_members = TextAreaField(
        _l("Members from offices"),
        validators=[Optional(), Length(max=5000)],
        description=_l("One per line: a person or the office they came from"),
    )
    ngo_members = TextAreaField(
        _l("Members from NGOs"),
        validators=[Optional(), Length(max=5000)],
        description=_l("One per line: a person or the organisation they came from"),
    )


class ProjectForm(PageForm):
    version = HiddenField(validators=[Optional(), Regexp(r"^\d+$")])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    funding_source = StringField(
        _l("Funding"),
        validators=[Optional(), Length(max=300)],
        description=_l("For example: Europejski Fundusz Społeczny"),
    )
    partner = StringField(_l("Partner"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    blocks = Rows(BlockRow, key="title")
    groups = Rows(GroupRow, key="name")
    submit = SubmitField(_l("Save"))

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The project cannot end before it starts."))


class StandardForm(PageForm):
    version_lock = HiddenField(validators=[Optional(), Regexp(r"^\d+$")])
    block_id = SelectField(_l("Thematic block"), coerce=int)
    group_id = SelectField(_l("Standardisation group"), coerce=int)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    procedures = TextAreaField(_l("Procedures"), validators=[Optional(), Length(max=20000)])
    recommendations = TextAreaField(
        _l("Practical recommendations"), validators=[Optional(), Length(max=20000)]
    )
    version = StringField(
        _l("Version of the standard"),
        default="1.0",
        validators=[DataRequired(), Length(max=20)],
        description=_l("For example: 1.0, or 1.1 after a revision"),
    )
    position = IntegerField(_l("Order in the block"), default=0, validators=[Optional()])
    target_date = DateField(
        _l("Target date for the cities"),
        validators=[Optional()],
        description=_l(
            "By when the cities should adopt the standard; their offices are reminded two "
            "weeks before. Leave empty for no target date."
        ),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, project_starts_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project_starts_on = project_starts_on

    def validate_target_date(self, field) -> None:
        if field.data and self.project_starts_on and field.data < self.project_starts_on:
            raise ValidationError(
                _l(
                    "The target date cannot come before the project starts (%(date)s).",
                    date=self.project_starts_on.isoformat(),
                )
            )
