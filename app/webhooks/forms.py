from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectMultipleField, StringField, SubmitField, URLField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.fields import PageForm
from app.webhooks.catalogue import EVENT_LABELS, SUBSCRIBABLE


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _event_choices() -> list[tuple[str, str]]:
    return [(str(kind), str(EVENT_LABELS[kind])) for kind in SUBSCRIBABLE]


class SubscriptionForm(PageForm):
    url = URLField(
        _l("Address that receives the events"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("An https:// address of the city's website, BIP or other system."),
    )
    description = StringField(
        _l("What it is (for your reference)"), validators=[Optional(), Length(max=300)]
    )
    events = CheckboxesField(
        _l("Events"),
        choices=_event_choices,
        validators=[DataRequired(message=_l("Choose at least one event."))],
    )
    submit = SubmitField(_l("Add the subscription"))


class VersionedActionForm(PageForm):
    """A button on a subscription: the version read, so a stale page does not act."""

    version = HiddenField()
