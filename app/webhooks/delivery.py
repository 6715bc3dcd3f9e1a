"""The delivery job: one attempt to POST one event, signed per Standard Webhooks.

A 2xx answer delivers it; any other answer, or none, schedules the next attempt after the
backoff (WEBHOOK_RETRY_SECONDS), and after the last one it gives up. The job may run twice
(the queue delivers at least once, a worker may die): it takes the delivery's row lock
first and skips a delivery another run holds or that is delivered or given up already.
What cannot be known — a worker dying between the receiver's answer and the commit — may
repeat a POST; the receiver drops it by its `webhook-id`, the same on every attempt.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from math import floor

import requests
from flask import current_app
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from app.extensions import db
from app.jobs import enqueue, job
from app.tenancy import clock
from app.webhooks import targets
from app.webhooks.models import Delivery, Subscription

log = logging.getLogger(__name__)

DELIVER_JOB = "webhooks.deliver"
TIMEOUT_SECONDS = 5
EXCERPT_LENGTH = 300
USER_AGENT = "Razem-Webhooks/1"
# no use retrying: the city turned the subscription off
DEACTIVATED = "subscription deactivated"


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer
    excerpt: str

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@job(DELIVER_JOB, timeout=60)
def deliver(record, *, delivery_id: int) -> None:
    delivery = _claim(delivery_id)
    if delivery is None:
        return
    now = clock.now()
    due = _aware(delivery.next_attempt_at)
    if due is not None and due > now:  # taken up early (a lost job queued again): wait on
        enqueue(DELIVER_JOB, delay=due - now, delivery_id=delivery.id)
        return
    _record(delivery, _attempt(delivery), now)


def _claim(delivery_id: int) -> Delivery | None:
    """The delivery, locked for this run; None if another run holds it or it is done."""
    delivery = db.session.scalar(
        select(Delivery)
        .where(Delivery.id == delivery_id)
        .with_for_update(skip_locked=True, of=Delivery)
    )
    if delivery is None or delivery.finished:
        return None
    return delivery


def _attempt(delivery: Delivery) -> Answer:
    subscription = db.session.get_one(Subscription, delivery.subscription_id)
    if not subscription.active:
        return Answer(None, DEACTIVATED)
    try:
        targets.check(subscription.url)
    except targets.TargetRefused as refusal:
        return Answer(None, str(refusal))
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"))
    try:
        response = requests.post(
            subscription.url,
            data=body.encode(),
            headers=signed_headers(subscription.secret, delivery.event_id, body, clock.now()),
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return Answer(None, _no_answer(error))
    return Answer(response.status_code, response.text[:EXCERPT_LENGTH])


def signed_headers(secret: str, message_id: str, body: str, at: datetime) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(floor(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


def _no_answer(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return f"no answer within {TIMEOUT_SECONDS} s"
    if isinstance(error, requests.ConnectionError):
        return "connection refused or unreachable"
    return type(error).__name__


def _record(delivery: Delivery, answer: Answer, now: datetime) -> None:
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status = answer.status
    delivery.last_response = answer.excerpt
    entry = {"at": now.isoformat(), "status": answer.status, "response": answer.excerpt}
    retries = current_app.config["WEBHOOK_RETRY_SECONDS"]
    if answer.delivered:
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts <= len(retries) and answer.excerpt != DEACTIVATED:
        wait = timedelta(seconds=retries[delivery.attempts - 1])
        delivery.next_attempt_at = now + wait
        entry["retry_at"] = delivery.next_attempt_at.isoformat()
        enqueue(DELIVER_JOB, delay=wait, delivery_id=delivery.id)
    else:
        delivery.gave_up_at = now
        delivery.next_attempt_at = None
    delivery.attempt_log = [*delivery.attempt_log, entry]
    log.info("webhook %s attempt %s: %s", delivery.event_id, delivery.attempts, answer.status)


def due() -> list[int]:
    """The current city's deliveries waiting for an attempt that is due (for the catch-up
    command: with no queue, or with one that lost them)."""
    return list(
        db.session.scalars(
            select(Delivery.id).where(
                Delivery.delivered_at.is_(None),
                Delivery.gave_up_at.is_(None),
                Delivery.next_attempt_at <= clock.now(),
            )
        )
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)  # SQLite keeps no time zone; Razem writes UTC
