"""flask users create-admin | make-coordinator | export-data | erase"""

from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app import unit_of_work
from app.accounts import erasure, personal_data
from app.accounts.forms import MIN_PASSWORD_LENGTH
from app.accounts.models import RegionalAssignment
from app.accounts.services import AccountError, create_user, find_user
from app.audit.models import OperatorAction
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


def _person(email: str):
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account with the address {email}.")
    return user


@users_cli.command("export-data")
@click.argument("email")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export_data(email: str, output: Path | None) -> None:
    """Write everything Razem holds about a person (RODO art. 15 and 20), on their request."""
    user = _person(email)
    output = output or Path(f"dane-osobowe-{user.id}.zip")
    output.write_bytes(personal_data.archive(user))
    db.session.add(
        OperatorAction(
            action="person.export",
            subject=f"user {user.id}",
            performed_by=getpass.getuser(),
            details={"output": str(output)},
        )
    )
    unit_of_work.commit()
    click.echo(f"{user.email}: {output}")


@users_cli.command("erase")
@click.argument("email")
@click.confirmation_option(prompt="Delete this account for good?")
def erase_command(email: str) -> None:
    """Delete a person's account on their request (RODO art. 17): what the public record
    keeps stays with the name replaced."""
    user = _person(email)
    refusals = erasure.reasons_to_refuse(user)
    if refusals:
        raise click.ClickException(" ".join(refusals))
    done = erasure.erase(user, performed_by=getpass.getuser())
    unit_of_work.commit()
    removed = ", ".join(f"{table} {count}" for table, count in done.counts.items() if count)
    click.echo(f"user {done.user_id} erased ({removed or 'nothing else held'}).")
