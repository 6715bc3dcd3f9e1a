"""Events people register for: capacity, a waiting list, cancellation by a link.

Anyone may register, so the form must not become a way to mail strangers under the city's
name: an address the city does not know is asked first (double opt-in) and takes no place
until the link is followed; the e-mails never quote what the registrant typed; the doors
are rate-limited per address and per client (app.mail.public_mail_form).
"""

from __future__ import annotations

import secrets
import unicodedata
from datetime import date, datetime, timedelta

from flask import g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import BindParameter, ColumnElement, Select, String, bindparam, func, select
from sqlalchemy.orm import load_only

from app import unit_of_work
from app.accounts.models import Membership, User, hash_token
from app.extensions import db
from app.mail import Attachment, send_mail
from app.meetings import calendar
from app.meetings.models import EventRegistration, Meeting, RegistrationStatus
from app.notifications import events
from app.tenancy import clock
from app.tenancy.clock import Window
from app.tenancy.context import current_tenant_id
from app.tenancy.models import Tenant

# An unconfirmed registration takes no place: held places would let anyone fill a meeting
# with invented addresses. The link is valid this long, then the registration is dropped.
CONFIRM_WITHIN = timedelta(hours=48)
# Characters that only deceive in a name: bidi overrides and isolates turn the text around
# ("gpj.exe" shown as "exe.jpg"), line and paragraph separators break it.
DECEIVING = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
)
UNCONFIRMED = RegistrationStatus.UNCONFIRMED.value


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


def confirmed_counts(meetings: list[Meeting]) -> dict[int, int]:
    """How many have a confirmed place at each of the meetings, in one query."""
    rows = db.session.execute(
        select(EventRegistration.meeting_id, func.count())
        .where(
            EventRegistration.meeting_id.in_([m.id for m in meetings]),
            EventRegistration.status == RegistrationStatus.CONFIRMED.value,
        )
        .group_by(EventRegistration.meeting_id)
    ).all()
    return dict(rows)


def places_left(meeting: Meeting, confirmed: int) -> int | None:
    """Free places of an event people register for; None where there is no limit."""
    if not meeting.registration_open or meeting.capacity is None:
        return None
    return max(meeting.capacity - confirmed, 0)


def plain(text: str, *, line_breaks: bool = False) -> str:
    """What a person typed, without control characters (CR, LF, NUL…) and bidi overrides;
    line breaks are kept as LF where a multi-line answer needs them."""
    lines = [
        " ".join(
            "".join(
                " " if unicodedata.category(c) == "Cc" else c for c in line if c not in DECEIVING
            ).split()
        )
        for line in text.replace("\r\n", "\n").split("\n")
    ]
    return "\n".join(lines).strip() if line_breaks else " ".join(filter(None, lines))


def register(
    meeting: Meeting,
    tenant_slug: str,
    *,
    name: str,
    email: str,
    organisation: str,
    answers: list[str],
) -> EventRegistration:
    """Register; an address the city does not know waits, unconfirmed, for its link."""
    if not is_open(meeting):
        raise RegistrationClosed(_("Registration for this meeting is closed."))
    # One registration at a time per meeting, so the last place is not given twice.
    db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    email = email.strip().lower()
    _drop_unconfirmed(meeting, email)
    taken = db.session.scalar(
        select(EventRegistration.id).where(
            EventRegistration.meeting_id == meeting.id,
            func.lower(EventRegistration.email) == email,
            EventRegistration.status != RegistrationStatus.CANCELLED.value,
        )
    )
    if taken:
        raise AlreadyRegistered(_("This e-mail address is already registered."))
    cancel_token = secrets.token_urlsafe(24)
    registration = EventRegistration(
        meeting_id=meeting.id,
        name=plain(name)[:300],
        email=email,
        organisation=plain(organisation)[:300],
        answers=[plain(a, line_breaks=True)[:2000] for a in answers[: len(meeting.questions)]],
        cancel_token_hash=hash_token(cancel_token),
        status=UNCONFIRMED,
    )
    db.session.add(registration)
    if _known_to_city(email):
        _take_place(registration, meeting)
        unit_of_work.flush()
        _mail(registration, meeting, tenant_slug, cancel_token)
        return registration
    confirm_token = secrets.token_urlsafe(24)
    registration.confirm_token_hash = hash_token(confirm_token)
    registration.confirm_by = clock.now() + CONFIRM_WITHIN
    unit_of_work.flush()
    send_mail(
        email,
        _l("Confirm your registration: %(title)s", title=meeting.title),
        "registration_confirm",
        meeting=meeting,
        hours=int(CONFIRM_WITHIN.total_seconds() // 3600),
        link=url_for(
            "meetings.confirm_registration",
            tenant_slug=tenant_slug,
            token=confirm_token,
            _external=True,
        ),
    )
    return registration


def _drop_unconfirmed(meeting: Meeting, email: str) -> None:
    """Unconfirmed registrations of this meeting that expired, and this address's own
    (registering again sends a new link and the old one stops working)."""
    for stale in db.session.scalars(
        select(EventRegistration).where(
            EventRegistration.meeting_id == meeting.id,
            EventRegistration.status == UNCONFIRMED,
            (EventRegistration.confirm_by < clock.now())
            | (func.lower(EventRegistration.email) == email),
        )
    ):
        db.session.delete(stale)
    unit_of_work.flush()


def _known_to_city(email: str) -> bool:
    """The person signed in with this address, works for the city, or confirmed it by a
    link of this city before: no need to ask again."""
    actor = db.session.get(User, g.actor_id) if g.get("actor_id") else None
    if actor is not None and actor.email.lower() == email:
        return True
    member = db.session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.tenant_id == current_tenant_id(), func.lower(User.email) == email)
    )
    confirmed_before = db.session.scalar(
        select(EventRegistration.id).where(
            func.lower(EventRegistration.email) == email,
            EventRegistration.email_confirmed_at.is_not(None),
        )
    )
    return member is not None or confirmed_before is not None


def _take_place(registration: EventRegistration, meeting: Meeting) -> None:
    full = (
        meeting.capacity is not None
        and counts(meeting)[RegistrationStatus.CONFIRMED] >= meeting.capacity
    )
    registration.status = (
        RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
    ).value


def find_unconfirmed(token: str) -> EventRegistration | None:
    """The registration this confirmation link is for, while the link is valid."""
    return db.session.scalar(
        select(EventRegistration).where(
            EventRegistration.confirm_token_hash == hash_token(token),
            EventRegistration.status == UNCONFIRMED,
            EventRegistration.confirm_by >= clock.now(),
        )
    )


def confirm(registration: EventRegistration, meeting: Meeting, tenant_slug: str) -> None:
    """The link was followed: the registration takes a place if one is free (else the
    waiting list), the link stops working, and the usual confirmation with the
    cancellation link is sent."""
    db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    cancel_token = secrets.token_urlsafe(24)
    registration.cancel_token_hash = hash_token(cancel_token)
    registration.confirm_token_hash = None
    registration.email_confirmed_at = clock.now()
    _take_place(registration, meeting)
    unit_of_work.flush()
    _mail(registration, meeting, tenant_slug, cancel_token)


def _mail(
    registration: EventRegistration, meeting: Meeting, tenant_slug: str, token: str | None = None
) -> None:
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    subject = (
        _l("Registration confirmed: %(title)s", title=meeting.title)
        if confirmed
        else _l("You are on the waiting list: %(title)s", title=meeting.title)
    )
    send_mail(
        registration.email,
        subject,
        "registration",
        attachments=[_invitation(meeting)] if confirmed else [],
        registration=registration,
        meeting=meeting,
        cancel=_cancel_link(tenant_slug, token) if token else None,
    )


def _cancel_link(tenant_slug: str, token: str) -> str:
    return url_for(
        "meetings.cancel_registration", tenant_slug=tenant_slug, token=token, _external=True
    )


def _invitation(meeting: Meeting) -> Attachment:
    return calendar.invitation(meeting, db.session.get_one(Tenant, current_tenant_id()))


def find_by_token(token: str) -> EventRegistration | None:
    return db.session.scalar(
        select(EventRegistration).where(EventRegistration.cancel_token_hash == hash_token(token))
    )


def cancel(registration: EventRegistration, meeting: Meeting, tenant_slug: str) -> None:
    """Cancel; a confirmed place goes to the first person on the waiting list."""
    # One cancellation at a time per meeting: the same one sent twice at once (a double
    # click, the e-mail's link and "my registrations") frees its place, and promotes, once.
    _lock(meeting)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED.value
    unit_of_work.flush()
    if was_confirmed:
        fill_free_places(meeting, tenant_slug)


def why_not_cancellable(registration: EventRegistration, meeting: Meeting) -> str | None:
    """Why the registration can no longer be cancelled, in words; None when it can."""
    if registration.status == RegistrationStatus.CANCELLED:
        return _("This registration has already been cancelled.")
    if is_past(meeting):
        return _("The meeting has already taken place, so there is nothing to cancel.")
    return None


def change_settings(
    meeting: Meeting,
    tenant_slug: str,
    *,
    registration_open: bool,
    capacity: int | None,
    registration_deadline: date | None,
    attendance_mode: str,
    questions: list[str],
) -> None:
    """Whether and until when people may register, for how many places, and what they are
    asked; places added go to the waiting list at once."""
    meeting.registration_open = registration_open
    meeting.capacity = capacity
    meeting.registration_deadline = registration_deadline
    meeting.attendance_mode = attendance_mode
    meeting.questions = questions
    fill_free_places(meeting, tenant_slug)
    unit_of_work.flush()


def fill_free_places(meeting: Meeting, tenant_slug: str) -> None:
    """Each free place (one cancelled, more added by the organiser) goes to the next person
    on the waiting list, in the order they registered."""
    _lock(meeting)
    waiting = (
        select(EventRegistration)
        .where(
            EventRegistration.meeting_id == meeting.id,
            EventRegistration.status == RegistrationStatus.WAITING.value,
        )
        .order_by(EventRegistration.created_at, EventRegistration.id)
    )
    if meeting.capacity is not None:
        confirmed = counts(meeting)[RegistrationStatus.CONFIRMED]
        waiting = waiting.limit(max(meeting.capacity - confirmed, 0))
    for registration in db.session.scalars(waiting).all():
        _promote(registration, meeting, tenant_slug)


def _lock(meeting: Meeting) -> None:
    db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())


def _promote(registration: EventRegistration, meeting: Meeting, tenant_slug: str) -> None:
    """The freed place is the first waiting person's: told at once, with the meeting's .ics
    and a new cancellation link (only a hash of the old one is kept, so it cannot be resent)."""
    token = secrets.token_urlsafe(24)
    registration.status = RegistrationStatus.CONFIRMED.value
    registration.cancel_token_hash = hash_token(token)
    unit_of_work.flush()
    told = {
        "title": _l("A place has freed up for you: %(title)s", title=meeting.title),
        "meeting": meeting,
        "cancel": _cancel_link(tenant_slug, token),
        "attachments": [_invitation(meeting)],
    }
    account = db.session.scalar(
        select(User).where(func.lower(User.email) == registration.email.lower())
    )
    if account is not None and account.active:
        events.place_freed(registration, account, **told)
    else:
        send_mail(registration.email, told.pop("title"), "place_freed", **told)


def of_person(email: str) -> list[tuple[EventRegistration, Meeting]]:
    """The registrations made with a person's e-mail address in the current city, the
    coming meetings first."""
    return list(
        db.session.execute(
            _of_person(email.lower()).order_by(Meeting.held_on.desc(), EventRegistration.id)
        ).all()
    )


# Of a place and its meeting, what the NGO's home shows (options built once, not per request).
_PLACE_SHOWN = (
    load_only(EventRegistration.tenant_id, EventRegistration.meeting_id, EventRegistration.status),
    load_only(Meeting.tenant_id, Meeting.title, Meeting.held_on, Meeting.starts_at, Meeting.place),
)


def places_still_to_go_to(still_to_come: ColumnElement[bool]) -> Select:
    """The places (or places on the waiting list) of the person whose e-mail, lower case, is
    bound as `email`, at meetings `still_to_come` in the cities read, the nearest first; of
    each only what the NGO's home shows, for its cancel button."""
    return (
        _of_person(bindparam("email", type_=String))
        .options(*_PLACE_SHOWN)
        .where(EventRegistration.status != RegistrationStatus.CANCELLED.value, still_to_come)
        .order_by(Meeting.held_on, EventRegistration.id)
    )


def _of_person(email: str | BindParameter[str]):
    """Of the person of `email`, in lower case."""
    return (
        select(EventRegistration, Meeting)
        .join(Meeting, Meeting.id == EventRegistration.meeting_id)
        .where(
            func.lower(EventRegistration.email) == email,
            EventRegistration.status != UNCONFIRMED,
            Meeting.deleted_at.is_(None),
        )
    )


def is_past(meeting: Meeting) -> bool:
    return meeting.held_on < clock.today()


PAGE_SIZE = 50


def of_meeting(meeting: Meeting) -> list[EventRegistration]:
    """Every registration of the meeting (the documents, the API)."""
    return list(db.session.scalars(_of_meeting(meeting)))


def page_of_meeting(meeting: Meeting, page: int) -> Pagination:
    """One page of the organiser's list, in the order people registered."""
    return db.paginate(_of_meeting(meeting), page=page, per_page=PAGE_SIZE)


def _of_meeting(meeting: Meeting) -> Select:
    return (
        select(EventRegistration)
        .where(
            EventRegistration.meeting_id == meeting.id,
            EventRegistration.status != UNCONFIRMED,
        )
        .order_by(EventRegistration.created_at, EventRegistration.id)
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
        ).all()
    )
