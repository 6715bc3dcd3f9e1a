"""What a person can be told about, and how by default: what needs them at once comes at
once, the rest at most once a day in a digest (Decidim's users complain of floods)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Kind(StrEnum):
    PROPOSALS_OPENED = "proposals_opened"
    CONSULTATION_OPENED = "consultation_opened"
    CONSULTATION_CLOSING = "consultation_closing"
    NEW_CONTRIBUTION = "new_contribution"
    PROPOSAL_FORWARDED = "proposal_forwarded"
    ANSWERED = "answered"
    REGISTRATION_DECIDED = "registration_decided"
    ADOPTION_RETURNED = "adoption_returned"
    PLACE_FREED = "place_freed"
    STANDARD_TARGET_NEAR = "standard_target_near"


class Delivery(StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    OFF = "off"  # in Razem only, no e-mail


KIND_LABELS = {
    Kind.PROPOSALS_OPENED: _l("A local government starts collecting proposals for its programme"),
    Kind.CONSULTATION_OPENED: _l("A draft programme goes to public consultation"),
    Kind.CONSULTATION_CLOSING: _l("A consultation closes in 3 days"),
    Kind.NEW_CONTRIBUTION: _l("A new proposal or consultation comment for the office"),
    Kind.PROPOSAL_FORWARDED: _l("A proposal or consultation comment is forwarded to you to answer"),
    Kind.ANSWERED: _l("The office answers your organisation's proposal or comment"),
    Kind.REGISTRATION_DECIDED: _l("An office decides on your organisation's registration"),
    Kind.ADOPTION_RETURNED: _l("The region's coordinator sends back an adoption of a standard"),
    Kind.PLACE_FREED: _l("A place frees up at an event where you are on the waiting list"),
    Kind.STANDARD_TARGET_NEAR: _l("The target date of a regional standard comes near"),
}

DELIVERY_LABELS = {
    Delivery.IMMEDIATELY: _l("by e-mail at once"),
    Delivery.DAILY: _l("in a daily e-mail digest"),
    Delivery.OFF: _l("in Razem only, no e-mail"),
}

DEFAULT_DELIVERY = {
    Kind.PROPOSALS_OPENED: Delivery.IMMEDIATELY,
    Kind.CONSULTATION_OPENED: Delivery.IMMEDIATELY,
    Kind.CONSULTATION_CLOSING: Delivery.DAILY,
    Kind.NEW_CONTRIBUTION: Delivery.DAILY,
    Kind.PROPOSAL_FORWARDED: Delivery.IMMEDIATELY,
    Kind.ANSWERED: Delivery.IMMEDIATELY,
    Kind.REGISTRATION_DECIDED: Delivery.IMMEDIATELY,
    Kind.ADOPTION_RETURNED: Delivery.IMMEDIATELY,
    Kind.PLACE_FREED: Delivery.IMMEDIATELY,
    Kind.STANDARD_TARGET_NEAR: Delivery.DAILY,
}

KIND_VALUES = ", ".join(f"'{kind.value}'" for kind in Kind)
DELIVERY_VALUES = ", ".join(f"'{delivery.value}'" for delivery in Delivery)
