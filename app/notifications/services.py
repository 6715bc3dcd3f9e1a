"""Telling people: once per event, in Razem always, by e-mail as each person chose (at once,
in one daily digest, or not at all), every e-mail with a link that stops its kind."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import date

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Row, ScalarSelect, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from app import unit_of_work
from app.accounts import person_facts
from app.accounts.models import Membership, Role, User
from app.extensions import db
from app.mail import send_mail
from app.notifications.catalogue import DEFAULT_DELIVERY, KIND_LABELS, Delivery, Kind
from app.notifications.models import Notification, NotificationDigest, NotificationPreference
from app.organisations.models import OrganisationMember, Registration, RegistrationStatus
from app.tenancy import before_scope, clock
from app.tenancy.context import acting_as, current_tenant_id, tenant_scope

LATEST = 50


def notify(
    kind: Kind,
    people: Iterable[User],
    *,
    about: str,
    title,
    link: str,
    template: str = "notification",
    **context,
) -> list[Notification]:
    """Tell each person once about `about` (the event's record): `title` is a lazy string,
    written in each person's language. Returns the notifications made now."""
    key = f"{kind.value}:{about}"
    people = {person.id: person for person in people if person.active}
    told = before_scope.already_notified(key, list(people))
    chosen = deliveries([user_id for user_id in people if user_id not in told], kind)
    made = []
    for user_id, delivery in chosen.items():
        person = people[user_id]
        with force_locale(_locale_of(person)):
            written = str(title)
        record = Notification(
            user_id=user_id,
            tenant_id=current_tenant_id(),
            kind=kind.value,
            key=key,
            title=written[:500],
            link=link,
            delivery=delivery.value,
        )
        if delivery == Delivery.IMMEDIATELY:
            record.mailed_at = clock.now()
            send_mail(
                person.email,
                written,
                template,
                locale=_locale_of(person),
                title=written,
                link=link,
                stop=_stop_link(person, kind),
                **context,
            )
        made.append(record)
    unit_of_work.flush()  # what the caller changed is written as the caller's, not as theirs
    for record in made:
        # Each person's notification is theirs alone (a personal wall): written as theirs.
        with acting_as(record.user_id):
            db.session.add(record)
            unit_of_work.flush()
    return made


def deliveries(user_ids: list[int], kind: Kind) -> dict[int, Delivery]:
    """How each of these people gets the kind: their choice, else the kind's default."""
    chosen = before_scope.chosen_deliveries(kind.value, user_ids)
    return {user_id: Delivery(chosen.get(user_id, DEFAULT_DELIVERY[kind])) for user_id in user_ids}


def preferences_of(user: User) -> dict[Kind, Delivery]:
    saved = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    return {kind: Delivery(saved.get(kind.value, DEFAULT_DELIVERY[kind])) for kind in Kind}


def choose(user: User, kind: Kind, delivery: Delivery) -> None:
    record = db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == kind.value
        )
    )
    if record is None and delivery == DEFAULT_DELIVERY[kind]:
        return  # the default needs no row: an unchanged save changes nothing
    if record is None:
        record = NotificationPreference(user_id=user.id, kind=kind.value)
        db.session.add(record)
    record.delivery = delivery.value
    unit_of_work.flush()


def latest_of(user: User) -> list[Row]:
    """The person's latest notifications as their page shows them, not whole records."""
    shown = (Notification.title, Notification.link, Notification.read_at, Notification.created_at)
    return list(
        db.session.execute(
            select(*shown)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(LATEST)
        )
    )


UNREAD = "unread_notifications"  # a fact of the person (person_facts)


def unread_count_of(user_id: int | ColumnElement[int]) -> ScalarSelect[int]:
    return (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def unread_of_current_user() -> int:
    """For the page header, asked by the layout only for a logged-in person: loaded with
    them (person_facts)."""
    if not current_user.is_authenticated:
        return 0
    return person_facts.fact(current_user, UNREAD) or 0


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )


# -- the daily digest -----------------------------------------------------------------


def send_digests(day: date) -> int:
    """One e-mail per person with what waits for the digest; at most one a day. Returns how
    many were sent."""
    waiting = before_scope.digest_waiting()
    people = list(
        db.session.scalars(
            select(User).where(User.id.in_(waiting), User.active.is_(True)).order_by(User.id)
        )
    )
    sent = 0
    for person in people:
        unit_of_work.flush()  # the mail of the one before is the job's, written as the job's
        # Each person's notifications and digests are theirs alone: read and marked as theirs.
        with acting_as(person.id):
            records = _take_digest(person, day)
        if not records:
            continue
        kinds = sorted({Kind(record.kind) for record in records})
        with force_locale(_locale_of(person)), in_site():
            subject = str(_l("Razem: %(count)d new notifications", count=len(records)))
            stops = [(str(KIND_LABELS[kind]), _stop_link(person, kind)) for kind in kinds]
            send_mail(
                person.email,
                subject,
                "notification_digest",
                locale=_locale_of(person),
                notifications=records,
                stops=stops,
                preferences=url_for("notifications.preferences", _external=True),
            )
        sent += 1
    return sent


def _take_digest(person: User, day: date) -> list[Notification]:
    """What waits for the person's digest, marked mailed and the day's digest recorded; none
    if the day's digest has gone already."""
    already = db.session.scalar(
        select(NotificationDigest.id).where(
            NotificationDigest.user_id == person.id, NotificationDigest.day == day
        )
    )
    if already is not None:
        return []
    records = list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.user_id == person.id,
                Notification.delivery == Delivery.DAILY.value,
                Notification.mailed_at.is_(None),
            )
            .order_by(Notification.created_at, Notification.id)
        )
    )
    if records:
        db.session.add(NotificationDigest(user_id=person.id, day=day))
        for record in records:
            record.mailed_at = clock.now()
        unit_of_work.flush()
    return records


# -- stopping e-mails of a kind from the e-mail itself -----------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="notifications.stop")


def _stop_link(person: User, kind: Kind) -> str:
    token = _serializer().dumps([person.id, kind.value])
    return external_url("notifications.stop", token=token)


def stop_request(token: str) -> tuple[User, Kind] | None:
    """Whose e-mails of which kind the link of an e-mail stops; None for a forged link."""
    try:
        user_id, kind = _serializer().loads(token)
        person = db.session.get(User, int(user_id))
        return (person, Kind(kind)) if person is not None else None
    except (BadSignature, ValueError, TypeError):
        return None


def in_site() -> AbstractContextManager:
    """For a worker, which has no request: links are built on the site's address."""
    return current_app.test_request_context(base_url=current_app.config["SITE_URL"])


def external_url(endpoint: str, **values) -> str:
    """An address for an e-mail: the request's site, or SITE_URL where there is no request
    (a job, a command)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with in_site():
        return url_for(endpoint, _external=True, **values)


def _locale_of(person: User) -> str:
    return person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


# -- who is told ------------------------------------------------------------------------


def city_staff(tenant_id: int) -> list[User]:
    """The city's office: its admins and staff with an active account."""
    with tenant_scope(tenant_id):  # the city's memberships, read in the city
        return list(
            db.session.scalars(
                select(User)
                .join(Membership, Membership.user_id == User.id)
                .where(
                    Membership.tenant_id == tenant_id,
                    Membership.role.in_((Role.ADMIN.value, Role.STAFF.value)),
                    User.active.is_(True),
                )
                .order_by(User.id)
            )
        )


def ngo_people(tenant_id: int) -> list[User]:
    """The people of every organisation active in the city."""
    return list(
        db.session.scalars(
            select(User)
            .join(OrganisationMember, OrganisationMember.user_id == User.id)
            .join(
                Registration,
                Registration.organisation_id == OrganisationMember.organisation_id,
            )
            .where(
                Registration.tenant_id == tenant_id,
                Registration.status == RegistrationStatus.ACTIVE.value,
            )
            .distinct()
        )
    )
