"""Event registrations are kept no longer than needed (RODO art. 5 ust. 1 lit. e): those of
people without an account go the city's registration_retention_days after the event
(tenants/*.toml). A person with an account keeps theirs, to see, download or erase
themselves (app/accounts/personal_data.py)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import exists, func, select

from app.accounts.models import User
from app.extensions import db
from app.jobs import job
from app.meetings.models import EventRegistration, Meeting
from app.tenancy.models import Tenant


def expired_registrations(tenant: Tenant, today: date) -> list[EventRegistration]:
    """The city's registrations, by people without an account, of events held more than
    the city's retention period ago."""
    last_kept = today - timedelta(days=tenant.registration_retention_days)
    has_account = exists().where(func.lower(User.email) == func.lower(EventRegistration.email))
    return list(
        db.session.scalars(
            select(EventRegistration)
            .join(Meeting, Meeting.id == EventRegistration.meeting_id)
            .where(Meeting.held_on < last_kept, ~has_account)
        )
    )


JOB = "meetings.erase_past_registrations"


@job(JOB)
def erase_past_registrations(record, *, today: str) -> None:
    """For the job's city; run daily with the reminders. Each erasure is in the audit log
    (without the person's data)."""
    tenant = db.session.get_one(Tenant, record.tenant_id)
    expired = expired_registrations(tenant, date.fromisoformat(today))
    for registration in expired:
        db.session.delete(registration)
    record.summary = {"erased": len(expired)}
