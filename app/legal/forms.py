from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from app.fields import PageForm, TextAreaField


class LegalTextForm(PageForm):
    body = TextAreaField(
        _l("Text"),
        validators=[DataRequired(), Length(max=50_000)],
        render_kw={"rows": 24},
        description=_l("Markdown: ## a heading, - a list item, [a link](https://…)."),
    )
    published_on = DateField(_l("Date of publication of the website"), validators=[Optional()])
    revised_on = DateField(_l("Date of the last significant update"), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Save"))


class RestoreDefaultForm(PageForm):
    submit = SubmitField(_l("Restore the default text"))
