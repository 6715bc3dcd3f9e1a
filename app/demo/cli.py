"""flask demo load: demo people for the demo cities (development only)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.accounts.models import User
from app.demo.loader import DEMO_PASSWORD, DEMO_USERS, load
from app.demo.organisations import CLAIMABLE_KRS
from app.extensions import db
from app.meetings import registration
from app.meetings.models import Meeting
from app.organisations.services import ngo_tenant_ids
from app.programmes.models import Programme
from app.programmes.services import is_public, open_window
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant

demo_cli = AppGroup("demo", help="Demo data for trying Razem out.")


@demo_cli.command("load")
def load_command() -> None:
    """Load the demo data (idempotent; refused outside development)."""
    if current_app.config["RAZEM_ENV"] != "development":
        raise click.ClickException("Demo data with a known password is for development only.")
    created = load()
    click.echo(f"Demo data loaded ({created} new records).")
    print_open_today()
    print_logins()


def print_open_today() -> None:
    """What a newcomer can take part in at once, read from the data, not promised."""
    click.echo("\nOpen today:")
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.slug)):
        with tenant_scope(tenant.id):
            for programme in db.session.scalars(select(Programme)):
                if (taking := open_window(programme)) is not None:
                    click.echo(
                        f"  /{tenant.slug}/programmes/{programme.id}  {taking.kind.value} "
                        f"until {taking.last_day:%Y-%m-%d}{_who_takes_part(tenant, programme)}: "
                        f"{programme.title}"
                    )
            ahead = select(Meeting).where(Meeting.held_on >= clock.today())
            for meeting in db.session.scalars(ahead):
                if registration.is_open(meeting):
                    click.echo(
                        f"  /{tenant.slug}/meetings/{meeting.id}  registration for "
                        f"{meeting.held_on:%Y-%m-%d}: {meeting.title}"
                    )


def _who_takes_part(tenant: Tenant, programme: Programme) -> str:
    """The login that sends a proposal or a comment there: a person of one of the city's NGOs,
    else one of its staff, who reads it. A draft collecting proposals is theirs alone: to a
    visitor its page answers 404."""
    emails = [user.email for user in DEMO_USERS]
    people = sorted(
        db.session.scalars(select(User).where(User.email.in_(emails))),
        key=lambda person: emails.index(person.email),
    )
    ngo = next((p.email for p in people if tenant.id in ngo_tenant_ids(p)), None)
    staff = next((user.email for user in DEMO_USERS if tenant.slug in user.memberships), None)
    public = is_public(programme)
    if ngo is not None:
        login = f"to take part, log in as {ngo}"
    elif staff is not None and not public:
        login = f"log in as {staff}"
    else:
        login = None
    notes = [note for note in (None if public else "not public yet", login) if note]
    return f" ({'; '.join(notes)})" if notes else ""


def print_logins() -> None:
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for user in DEMO_USERS:
        click.echo(f"  {user.email:<34} {user.description}")
    click.echo(
        f"\nNew here? Sign up at /signup (the link to confirm the address comes by e-mail, "
        f"shown on this console like every mail), then find the organisation with KRS "
        f"{CLAIMABLE_KRS} and ask to act for it; admin@leszno.demo accepts the request."
    )
