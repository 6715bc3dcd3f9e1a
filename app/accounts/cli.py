"""flask users create-admin"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.accounts.forms import MIN_PASSWORD_LENGTH
from app.accounts.services import AccountError, create_user, find_user
from app.extensions import db

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
    db.session.commit()
    click.echo(f"{user.email} is a platform operator.")
