"""Notifications waiting for the demo's NGO person: the windows open on the day it is loaded."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.notifications import events
from app.notifications.catalogue import Kind
from app.programmes.catalogue import Stage
from app.programmes.models import Programme
from app.tenancy.models import Tenant
from app.tenancy.resolution import visiting

OPEN_WINDOWS = {
    Stage.PROPOSALS_OPEN: Kind.PROPOSALS_OPENED,
    Stage.CONSULTATION: Kind.CONSULTATION_OPENED,
}


def load() -> int:
    """Told once (each notification names its event), so loading again adds nothing."""
    made = 0
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.slug)):
        with visiting(tenant):
            open_now = select(Programme).where(
                Programme.stage.in_([stage.value for stage in OPEN_WINDOWS]),
                Programme.deleted_at.is_(None),
            )
            for programme in db.session.scalars(open_now):
                made += len(events.window_opened(programme, OPEN_WINDOWS[Stage(programme.stage)]))
    db.session.commit()
    return made
