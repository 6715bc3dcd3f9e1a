"""Who may see and do what with a city's meetings, teams, decisions and event registrations.

Pages, the API and templates all ask here: `meeting_for(id, action)` and `team_for(id,
action)` load, answer 404 to those who may not see and 403 to those who see but may not
act (`new_team()` answers 403 to those who may not set one up); templates ask
`can(action, record)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort
from flask_login import current_user

from app.accounts.permissions import authorised, can, get_or_404, is_staff, register_policy
from app.meetings.models import Decision, EventRegistration, Meeting, MeetingStatus, Team

# What only the city's staff read of a meeting (the page and the API alike): who signed
# the attendance list and how to reach the person responsible for a decision.
STAFF_ONLY_FIELDS = frozenset({"attendees", "responsible_email"})


def _sees_meeting(meeting: Meeting) -> bool:
    return meeting.deleted_at is None and (meeting.status == MeetingStatus.PUBLISHED or is_staff())


MEETING_RULES: dict[str, Callable[[Meeting | None], bool]] = {
    "view": lambda meeting: meeting is not None and _sees_meeting(meeting),
    # record, edit, publish, attach, export, see who registered
    "manage": lambda meeting: is_staff(),
    "read_private": lambda meeting: is_staff(),
    # whether registration is open is the service's to say (410 with the reason)
    "register": lambda meeting: True,
}

# Teams, their members and what they decided are the city's public record; the list of open
# decisions with deadlines is the office's working tool.
TEAM_RULES: dict[str, Callable[[Any], bool]] = {
    "view": lambda team: True,
    "create": lambda team: is_staff(),
    # its name, kind, area, description and people
    "manage": lambda team: is_staff(),
}
DECISION_RULES: dict[str, Callable[[Decision | None], bool]] = {
    "view": lambda decision: (
        decision is not None and _sees_meeting(get_or_404(Meeting, decision.meeting_id))
    ),
    "manage": lambda decision: is_staff(),
}


def _is_own(record: EventRegistration | None) -> bool:
    """Registered with the address of the logged-in person's (verified) account."""
    return (
        record is not None
        and current_user.is_authenticated
        and record.email.lower() == current_user.email.lower()
    )


# The organiser's list of who registered is the meeting's "manage"; a person sees and
# cancels their own registrations.
EVENT_REGISTRATION_RULES: dict[str, Callable[[EventRegistration | None], bool]] = {
    "view": lambda record: _is_own(record) or (record is not None and is_staff()),
    "cancel": _is_own,
    # the organiser removes someone's registration (the place goes to the waiting list)
    "remove": lambda record: record is not None and is_staff(),
}


def can_meeting(action: str, meeting: Meeting | None) -> bool:
    return MEETING_RULES[action](meeting)


register_policy(can_meeting, Meeting)
register_policy(lambda action, team: TEAM_RULES[action](team), Team)
register_policy(lambda action, decision: DECISION_RULES[action](decision), Decision)
register_policy(lambda action, record: EVENT_REGISTRATION_RULES[action](record), EventRegistration)


def meeting_for(meeting_id: int, action: str = "view") -> Meeting:
    return authorised(Meeting, meeting_id, action)


def team_for(team_id: int, action: str = "view") -> Team:
    return authorised(Team, team_id, action)


def new_team() -> Team:
    """A team to set up, for those who may (403 to the others)."""
    if not can("create", Team):
        abort(403)
    return Team()


def decision_for(decision_id: int, action: str = "view") -> Decision:
    return authorised(Decision, decision_id, action)


def event_registration_for(record_id: int, action: str = "view") -> EventRegistration:
    return authorised(EventRegistration, record_id, action)


def hidden_fields(meeting: Meeting | None = None) -> frozenset[str]:
    """The fields of a meeting's record the current user does not read."""
    return frozenset() if can_meeting("read_private", meeting) else STAFF_ONLY_FIELDS
