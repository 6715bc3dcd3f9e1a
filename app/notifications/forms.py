from __future__ import annotations

from wtforms import SelectField
from wtforms.fields import SelectChoice

from app.fields import PageForm
from app.notifications.catalogue import DELIVERY_LABELS, KIND_LABELS, Delivery, Kind


def preferences_form(current: dict[Kind, Delivery]) -> PageForm:
    """One choice per kind of notification, built from the catalogue."""

    class PreferencesForm(PageForm):
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
