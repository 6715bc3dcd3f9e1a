from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.meetings.models import Quadrant

QUADRANT_LABELS = {
    Quadrant.STRENGTHS.value: _l("Strengths"),
    Quadrant.WEAKNESSES.value: _l("Weaknesses"),
    Quadrant.OPPORTUNITIES.value: _l("Opportunities"),
    Quadrant.THREATS.value: _l("Threats"),
}
