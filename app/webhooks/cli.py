"""`flask webhooks deliver-due`: send the deliveries whose next attempt is due. A worker's
queue schedules every retry itself; this catches up where no queue waits for them (the
embedded default without Redis) or where the queue lost them."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app import unit_of_work
from app.extensions import db
from app.jobs import enqueue
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant
from app.webhooks import delivery

webhooks_cli = AppGroup("webhooks", help="Deliveries of the cities' webhooks.")


@webhooks_cli.command("deliver-due")
def deliver_due_command() -> None:
    """Queue every city's deliveries whose next attempt is due (run every few minutes)."""
    queued = 0
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.slug)).all():
        with tenant_scope(tenant.id):
            for delivery_id in delivery.due():
                enqueue(delivery.DELIVER_JOB, delivery_id=delivery_id)
                queued += 1
            unit_of_work.commit()
    click.echo(f"{queued} webhook deliveries queued")
