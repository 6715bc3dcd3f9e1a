"""Reminders of decisions whose deadline comes near, sent by a scheduled background job."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import unit_of_work
from app.extensions import db
from app.i18n import when
from app.jobs import enqueue, job
from app.mail import send_mail
from app.meetings import registration, retention, services
from app.meetings.models import Meeting
from app.notifications import events as notifications
from app.notifications.services import in_site
from app.programmes import services as programmes
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant
from app.tenancy.resolution import visiting

DAYS_AHEAD = 3
CONSULTATION_NOTICE_DAYS = 3

reminders_cli = AppGroup("reminders", help="Reminders of decisions' deadlines.")


@job("meetings.send_reminders")
def send_reminders(record, *, today: str) -> None:
    """For the job's city: remind whoever is responsible for a decision due soon."""
    day = date.fromisoformat(today)
    tenant = db.session.get_one(Tenant, record.tenant_id)
    decisions = services.due_for_reminder(day, DAYS_AHEAD)
    for decision in decisions:
        email, due_on = decision.responsible_email, decision.due_on
        if email is None or due_on is None:  # excluded by the query; for the type checker
            continue
        meeting = db.session.get_one(Meeting, decision.meeting_id)
        send_mail(
            email,
            _l("Reminder: a decision is due on %(date)s", date=when(due_on)),
            "decision_reminder",
            decision=decision,
            meeting=meeting,
            city=tenant.name("pl"),
        )
        decision.reminded_on = day
    events = registration.due_for_reminder(day)
    for registered, meeting in events:
        send_mail(
            registered.email,
            _l("Tomorrow: %(title)s", title=meeting.title),
            "meeting_reminder",
            registration=registered,
            meeting=meeting,
        )
        registered.reminded = True
    closing = programmes.consultations_closing(day + timedelta(days=CONSULTATION_NOTICE_DAYS))
    with in_site(), visiting(tenant):  # links built as on the city's own pages
        for programme in closing:
            notifications.consultation_closing(programme)
    record.summary = {"reminders": len(decisions) + len(events), "closing": len(closing)}


@reminders_cli.command("send")
@click.option("--today", default=None, help="YYYY-MM-DD (for tests and catch-up runs)")
def send_command(today: str | None) -> None:
    """Queue the reminders of every city, and the erasure of the event registrations it
    keeps no longer (run daily: systemd timer or a cron job)."""
    day = today or clock.today().isoformat()
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.slug)):
        with tenant_scope(tenant.id):
            enqueue("meetings.send_reminders", today=day)
            enqueue(retention.JOB, today=day)
            if tenant.region_id is not None:  # the region's standards' target dates
                enqueue("regions.send_target_reminders", today=day)
    enqueue("notifications.send_digests", today=day)  # after the cities' own, in the queue
    unit_of_work.commit()
    click.echo(f"reminders queued for {day}")
