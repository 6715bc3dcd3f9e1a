"""Events people register for: capacity, a waiting list, cancellation by a link."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import unit_of_work
from app.accounts.models import hash_token
from app.extensions import db
from app.mail import send_mail
from app.meetings.models import EventRegistration, Meeting, RegistrationStatus
from app.tenancy.clock import Window


class RegistrationClosed(ValueError):
    """Registration is not possible; the message says why."""


class AlreadyRegistered(RegistrationClosed):
    """The e-mail address is registered for this meeting already."""


def window(meeting: Meeting) -> Window:
    """Open until the end of the deadline day, and never after the meeting's own day."""
    last_day = min(filter(None, [meeting.registration_deadline, meeting.held_on]))
    return Window.of_days(None, last_day)


def is_open(meeting: Meeting, at: datetime | None = None) -> bool:
    return meeting.registration_open and window(meeting).is_open(at)


def counts(meeting: Meeting) -> dict[str, int]:
    rows = db.session.execute(
        select(EventRegistration.status, func.count())
        .where(EventRegistration.meeting_id == meeting.id)
        .group_by(EventRegistration.status)
    ).all()
    return {status.value: 0 for status in RegistrationStatus} | dict(rows)


def register(
    meeting: Meeting,
    tenant_slug: str,
    *,
    name: str,
    email: str,
    organisation: str,
    answers: list[str],
) -> EventRegistration:
    if not is_open(meeting):
        raise RegistrationClosed(_("Registration for this meeting is closed."))
    # One registration at a time per meeting, so the last place is not given twice.
    db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    email = email.strip().lower()
    taken = db.session.scalar(
        select(EventRegistration.id).where(
            EventRegistration.meeting_id == meeting.id,
            func.lower(EventRegistration.email) == email,
            EventRegistration.status != RegistrationStatus.CANCELLED.value,
        )
    )
    if taken:
        raise AlreadyRegistered(_("This e-mail address is already registered."))
    full = (
        meeting.capacity is not None
        and counts(meeting)[RegistrationStatus.CONFIRMED] >= meeting.capacity
    )
    token = secrets.token_urlsafe(24)
    registration = EventRegistration(
        meeting_id=meeting.id,
        name=name.strip(),
        email=email,
        organisation=organisation.strip(),
        answers=answers,
        cancel_token_hash=hash_token(token),
        status=(RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED).value,
    )
    db.session.add(registration)
    unit_of_work.flush()
    _mail(registration, meeting, tenant_slug, token)
    return registration


def _mail(
    registration: EventRegistration, meeting: Meeting, tenant_slug: str, token: str | None = None
) -> None:
    cancel = (
        url_for(
            "meetings.cancel_registration", tenant_slug=tenant_slug, token=token, _external=True
        )
        if token
        else None
    )
    subject = (
        _l("Registration confirmed: %(title)s", title=meeting.title)
        if registration.status == RegistrationStatus.CONFIRMED
        else _l("You are on the waiting list: %(title)s", title=meeting.title)
    )
    send_mail(
        registration.email,
        subject,
        "registration",
        registration=registration,
        meeting=meeting,
        cancel=cancel,
    )


def find_by_token(token: str) -> EventRegistration | None:
    return db.session.scalar(
        select(EventRegistration).where(EventRegistration.cancel_token_hash == hash_token(token))
    )


def cancel(registration: EventRegistration, meeting: Meeting, tenant_slug: str) -> None:
    """Cancel; a confirmed place goes to the first person on the waiting list."""
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED.value
    unit_of_work.flush()
    if not was_confirmed:
        return
    waiting = db.session.scalar(
        select(EventRegistration)
        .where(
            EventRegistration.meeting_id == meeting.id,
            EventRegistration.status == RegistrationStatus.WAITING.value,
        )
        .order_by(EventRegistration.created_at, EventRegistration.id)
    )
    if waiting is not None:
        waiting.status = RegistrationStatus.CONFIRMED.value
        unit_of_work.flush()
        _mail(waiting, meeting, tenant_slug)


def of_meeting(meeting: Meeting) -> list[EventRegistration]:
    return list(
        db.session.scalars(
            select(EventRegistration)
            .where(EventRegistration.meeting_id == meeting.id)
            .order_by(EventRegistration.created_at, EventRegistration.id)
        )
    )


def due_for_reminder(today: date) -> list[tuple[EventRegistration, Meeting]]:
    """Confirmed registrations of meetings held tomorrow, not reminded yet."""
    return list(
        db.session.execute(
            select(EventRegistration, Meeting)
            .join(Meeting, Meeting.id == EventRegistration.meeting_id)
            .where(
                Meeting.held_on == today + timedelta(days=1),
                EventRegistration.status == RegistrationStatus.CONFIRMED.value,
                EventRegistration.reminded.is_(False),
            )
        ).tuples()
    )
