"""Leszno's BIP subscribed to its events, with one delivery received and one given up.
The address is a reserved example domain: a demo must not send a city's real server
anything."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.meetings.models import Meeting
from app.programmes.models import Programme
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant
from app.webhooks import events, services
from app.webhooks.catalogue import SUBSCRIBABLE
from app.webhooks.models import Delivery, Subscription

BIP_URL = "https://bip.leszno.example/razem/zdarzenia"


def load() -> int:
    tenant = db.session.execute(select(Tenant).where(Tenant.slug == "leszno")).scalar_one()
    admin = db.session.scalar(select(User).where(User.email == "admin@leszno.demo"))
    with tenant_scope(tenant.id):
        if db.session.scalar(select(Subscription.id).limit(1)):
            return 0
        subscription = Subscription(
            url=BIP_URL,
            events=[str(kind) for kind in SUBSCRIBABLE],
            description="BIP Urzędu Miasta Leszna",
            secret=services.new_secret(),
            created_by_id=admin.id if admin else None,
        )
        db.session.add(subscription)
        db.session.flush()
        meeting = db.session.scalar(select(Meeting).where(Meeting.held_on == date(2023, 7, 13)))
        programme = db.session.scalar(select(Programme).order_by(Programme.year_from.desc()))
        now = clock.now()
        if meeting is not None:
            _delivered(subscription, events.of_minutes(meeting, 1), now - timedelta(days=2))
        if programme is not None:
            _given_up(subscription, events.of_consultation(programme), now - timedelta(days=1))
        db.session.commit()
    return 1


def _delivered(subscription: Subscription, event: events.Event, at) -> None:
    attempt = {"at": at.isoformat(), "status": 200, "response": '{"przyjeto": true}'}
    db.session.add(
        Delivery(
            subscription_id=subscription.id,
            event_kind=str(event.kind),
            event_id=event.event_id,
            payload=event.payload(),
            attempts=1,
            last_attempt_at=at,
            last_status=200,
            last_response=attempt["response"],
            attempt_log=[attempt],
            delivered_at=at,
        )
    )


def _given_up(subscription: Subscription, event: events.Event, at) -> None:
    log = [
        {"at": (at + timedelta(seconds=s)).isoformat(), "status": 503, "response": "Przerwa"}
        for s in (0, 60, 360, 2160, 9360, 52560)
    ]
    db.session.add(
        Delivery(
            subscription_id=subscription.id,
            event_kind=str(event.kind),
            event_id=event.event_id,
            payload=event.payload(),
            attempts=len(log),
            last_attempt_at=at,
            last_status=503,
            last_response="Przerwa techniczna w działaniu BIP",
            attempt_log=log,
            gave_up_at=at,
        )
    )
