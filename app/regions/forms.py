from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.regions.models import ADOPTION_LABELS


class AdoptionForm(FlaskForm):
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
    decided_on = DateField(_l("Date"), validators=[Optional()])
    notes = TextAreaField(
        _l("Notes for the city hall"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Only your city hall sees these; the region's coordinator does not."),
    )
    submit = SubmitField(_l("Save and send for review"))


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment for the city"), validators=[Optional(), Length(max=2000)])
    accept = SubmitField(_l("Accept"))
    send_back = SubmitField(_l("Send back"))


class ExportForm(FlaskForm):
    file_format = SelectField(
        _l("Format"),
        choices=[
            SelectChoice("xlsx", "XLSX"),
            SelectChoice("csv", "CSV"),
            SelectChoice("pdf", "PDF"),
        ],
    )
    submit = SubmitField(_l("Export"))
