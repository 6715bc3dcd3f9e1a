from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields import SelectChoice

from app.notifications.catalogue import DELIVERY_LABELS, KIND_LABELS, Delivery, Kind


def preferences_form(current: dict[Kind, Delivery]) -> FlaskForm:
    """One choice per kind of notification, built from the catalogue."""

    class PreferencesForm(FlaskForm):
        pass

    for kind in Kind:
        setattr(
            PreferencesForm,
            kind.value,
            SelectField(
                KIND_LABELS[kind],
                choices=[SelectChoice(d.value, DELIVERY_LABELS[d]) for d in Delivery],
                default=current[kind].value,
            ),
        )
    return PreferencesForm()
