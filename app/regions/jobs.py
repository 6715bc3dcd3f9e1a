"""Reminders to the cities of a standard's target date, queued daily by `flask reminders send`."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.jobs import job
from app.notifications import events as notifications
from app.notifications.services import in_site
from app.regions import services
from app.tenancy.models import Tenant
from app.tenancy.resolution import visiting

REMINDER_DAYS = 14  # how long before the target date the city's office is told


@job("regions.send_target_reminders")
def send_target_reminders(record, *, today: str) -> None:
    """For the job's city: each standard whose target date is near and that the city has
    not adopted. Telling twice tells nobody twice (the notification's key), so a second run
    on one day, or the next day's, repeats nothing."""
    tenant = db.session.get_one(Tenant, record.tenant_id)
    standards = services.targets_near(tenant, date.fromisoformat(today), REMINDER_DAYS)
    with in_site(), visiting(tenant):  # links built as on the city's own pages
        for standard in standards:
            notifications.standard_target_near(standard)
    record.summary = {"target_reminders": len(standards)}
