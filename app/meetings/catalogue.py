from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.meetings.models import Quadrant

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
