"""flask users create-admin"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app import unit_of_work
from app.accounts.forms import MIN_PASSWORD_LENGTH
from app.accounts.models import RegionalAssignment
from app.accounts.services import AccountError, create_user, find_user
from app.extensions import db
from app.tenancy.models import Region

users_cli = AppGroup("users", help="Platform accounts.")


@users_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create a platform operator (or make an existing user one)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    user = find_user(email)
    if user is None:
        try:
            user = create_user(email, name, password)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
    user.is_operator = True
    unit_of_work.commit()
    click.echo(f"{user.email} is a platform operator.")


@users_cli.command("make-coordinator")
@click.option("--email", required=True)
@click.option("--region", "region_slug", required=True, help="e.g. wielkopolskie")
def make_coordinator(email: str, region_slug: str) -> None:
    """Make an existing user a coordinator of a region."""
    user = find_user(email)
    region = db.session.scalar(select(Region).where(Region.slug == region_slug))
    if user is None or region is None:
        raise click.ClickException("No such user or region.")
    if not user.coordinates(region.id):
        db.session.add(RegionalAssignment(user=user, region=region))
        unit_of_work.commit()
    click.echo(f"{user.email} coordinates {region.slug}.")
