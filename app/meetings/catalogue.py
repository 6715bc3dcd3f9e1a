from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.meetings.models import MeetingStatus, Quadrant, RegistrationStatus

QUADRANT_LABELS = {
    Quadrant.STRENGTHS.value: _l("Strengths"),
    Quadrant.WEAKNESSES.value: _l("Weaknesses"),
    Quadrant.OPPORTUNITIES.value: _l("Opportunities"),
    Quadrant.THREATS.value: _l("Threats"),
}


TEAM_KIND_LABELS = {
    "coordinating": _l("coordinating team"),
    "sector": _l("sector team"),
}

MEMBER_ROLE_LABELS = {
    "moderator": _l("moderator"),
    "leader": _l("leader"),
    "member": _l("member"),
    "expert": _l("expert"),
}

MEETING_STATUS_LABELS = {
    MeetingStatus.DRAFT: _l("draft"),
    MeetingStatus.PUBLISHED: _l("published"),
}

REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.UNCONFIRMED: _l("waiting for the e-mail to be confirmed"),
    RegistrationStatus.CONFIRMED: _l("confirmed"),
    RegistrationStatus.WAITING: _l("waiting list"),
    RegistrationStatus.CANCELLED: _l("cancelled"),
}

ATTENDANCE_LABELS = {
    "onsite": _l("on site"),
    "online": _l("online"),
    "hybrid": _l("on site and online"),
}
