"""The operations on a city's webhooks that its pages and the API share, and `announce`,
which each feature calls in the one place its event happens."""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app import unit_of_work
from app.extensions import db
from app.jobs import enqueue
from app.tenancy import clock
from app.tenancy.context import current_tenant_id
from app.webhooks import events, targets
from app.webhooks.catalogue import SUBSCRIBABLE, EventKind
from app.webhooks.delivery import DELIVER_JOB
from app.webhooks.models import Delivery, Subscription

RECENT_DELIVERIES = 10


def announce(kind: EventKind, record: Any, **details: Any) -> list[int]:
    """Tell every subscription of the current city that wants `kind` about `record`: one
    delivery each, written in the transaction of the change and sent once it is committed.
    Announced again, the same event adds nothing (its id is stable). The deliveries' ids."""
    wanting = [s for s in _active() if kind in s.events]
    if not wanting:
        return []
    return _deliver(DESCRIBE[kind](record, **details), wanting)


DESCRIBE: dict[EventKind, Callable[..., events.Event]] = {
    EventKind.PROPOSAL_SUBMITTED: events.of_proposal,
    EventKind.CONSULTATION_OPENED: events.of_consultation,
    EventKind.MINUTES_PUBLISHED: events.of_minutes,
    EventKind.ADOPTION_CHANGED: events.of_adoption,
}


def _active() -> list[Subscription]:
    return list(db.session.scalars(select(Subscription).where(Subscription.active.is_(True))))


def _deliver(event: events.Event, subscriptions: list[Subscription]) -> list[int]:
    payload = event.payload()
    rows: list[dict[str, Any]] = [
        {
            "tenant_id": current_tenant_id(),
            "subscription_id": subscription.id,
            "event_kind": str(event.kind),
            "event_id": event.event_id,
            "payload": payload,
            "attempts": 0,
            "next_attempt_at": clock.now(),
            "attempt_log": [],
            "last_response": "",
        }
        for subscription in subscriptions
    ]
    # Another transaction may announce the same event at the same moment: the database
    # keeps one row per subscription and event, and this one adds only what is new.
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Delivery)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["subscription_id", "event_id"])
        .returning(Delivery.id)
    )
    created = list(db.session.scalars(statement))
    for delivery_id in created:
        enqueue(DELIVER_JOB, delivery_id=delivery_id)
    return created


def new_secret() -> str:
    """A Standard Webhooks secret: 24 random bytes, base64, with its usual prefix."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def chosen_events(kinds: list[str]) -> list[str]:
    return [str(kind) for kind in SUBSCRIBABLE if kind in kinds]


def subscribe(url: str, kinds: list[str], description: str, user_id: int | None) -> Subscription:
    """A new subscription; raises TargetRefused for an address Razem does not send to."""
    targets.check(url)
    subscription = Subscription(
        url=url.strip(),
        events=chosen_events(kinds),
        description=description.strip(),
        secret=new_secret(),
        active=True,
        created_by_id=user_id,
    )
    db.session.add(subscription)
    unit_of_work.flush()
    return subscription


def change(subscription: Subscription, expected_version: Any, data: dict[str, Any]) -> None:
    """Change the address, the events, the description or whether it is active; with
    `rotate_secret`, a new secret. EditConflict if someone saved it meanwhile."""
    unit_of_work.check_version(subscription, expected_version)
    if "url" in data and data["url"].strip() != subscription.url:
        targets.check(data["url"])
        subscription.url = data["url"].strip()
    if "events" in data:
        subscription.events = chosen_events(data["events"])
    if "description" in data:
        subscription.description = data["description"].strip()
    if "active" in data and data["active"] != subscription.active:
        subscription.active = data["active"]
        subscription.deactivated_at = None if data["active"] else clock.now()
    if data.get("rotate_secret"):
        subscription.secret = new_secret()
    unit_of_work.flush()


def deactivate(subscription: Subscription) -> None:
    if subscription.active:
        subscription.active = False
        subscription.deactivated_at = clock.now()
        unit_of_work.flush()


def rotate_secret(subscription: Subscription) -> None:
    subscription.secret = new_secret()
    unit_of_work.flush()


def send_test(subscription: Subscription) -> int:
    """A test event to this subscription alone, whatever events it chose."""
    (delivery_id,) = _deliver(events.test_event(uuid.uuid4().hex), [subscription])
    return delivery_id


def resend(delivery: Delivery) -> None:
    """Send a delivery that gave up once more, with a fresh round of retries."""
    if delivery.state != "failed":
        return
    delivery.gave_up_at = None
    delivery.attempts = 0
    delivery.next_attempt_at = clock.now()
    unit_of_work.flush()
    enqueue(DELIVER_JOB, delivery_id=delivery.id)


def listing() -> list[Subscription]:
    """The city's subscriptions, the active first, the newest first."""
    return list(
        db.session.scalars(
            select(Subscription).order_by(Subscription.active.desc(), Subscription.id.desc())
        )
    )


def recent_deliveries(subscriptions: list[Subscription]) -> dict[int, list[Delivery]]:
    """The last deliveries of each subscription, in one query whatever their number."""
    ids = [s.id for s in subscriptions]
    if not ids:
        return {}
    ranked = (
        select(
            Delivery.id,
            db.func.row_number()
            .over(partition_by=Delivery.subscription_id, order_by=Delivery.id.desc())
            .label("rank"),
        )
        .where(Delivery.subscription_id.in_(ids))
        .subquery()
    )
    found = db.session.scalars(
        select(Delivery)
        .join(ranked, ranked.c.id == Delivery.id)
        .where(ranked.c.rank <= RECENT_DELIVERIES)
        .order_by(Delivery.id.desc())
    )
    grouped: dict[int, list[Delivery]] = {i: [] for i in ids}
    for delivery in found:
        grouped[delivery.subscription_id].append(delivery)
    return grouped
