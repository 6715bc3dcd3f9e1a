"""flask demo load: demo people for the demo cities (development only)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.demo.loader import DEMO_PASSWORD, DEMO_USERS, load
from app.demo.organisations import CLAIMABLE_KRS

demo_cli = AppGroup("demo", help="Demo data for trying Razem out.")


@demo_cli.command("load")
def load_command() -> None:
    """Load the demo data (idempotent; refused outside development)."""
    if current_app.config["RAZEM_ENV"] != "development":
        raise click.ClickException("Demo data with a known password is for development only.")
    created = load()
    click.echo(f"Demo data loaded ({created} new records).")
    print_logins()


def print_logins() -> None:
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for user in DEMO_USERS:
        click.echo(f"  {user.email:<34} {user.description}")
    click.echo(
        f"\nNew here? Sign up at /signup (the link to confirm the address comes by e-mail, "
        f"shown on this console like every mail), then find the organisation with KRS "
        f"{CLAIMABLE_KRS} and ask to act for it; admin@leszno.demo accepts the request."
    )
