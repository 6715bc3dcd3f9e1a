"""The events a city's systems may subscribe to, and how a person reads their names."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class EventKind(StrEnum):
    PROPOSAL_SUBMITTED = "proposal.submitted"
    CONSULTATION_OPENED = "consultation.opened"
    MINUTES_PUBLISHED = "minutes.published"
    ADOPTION_CHANGED = "adoption.changed"
    # sent on the administrator's request only, to try the receiving end
    TEST = "webhook.test"


SUBSCRIBABLE = (
    EventKind.PROPOSAL_SUBMITTED,
    EventKind.CONSULTATION_OPENED,
    EventKind.MINUTES_PUBLISHED,
    EventKind.ADOPTION_CHANGED,
)

EVENT_LABELS = {
    EventKind.PROPOSAL_SUBMITTED: _l("An organisation submitted a proposal for a programme"),
    EventKind.CONSULTATION_OPENED: _l("A draft programme went to public consultation"),
    EventKind.MINUTES_PUBLISHED: _l("Minutes of a meeting were published or corrected"),
    EventKind.ADOPTION_CHANGED: _l("The city's adoption of a regional standard changed"),
    EventKind.TEST: _l("Test event"),
}


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))  # type: ignore[call-overload]
