"""flask tenants sync | list"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.tenancy.catalog import CatalogError, sync
from app.tenancy.models import Tenant

tenants_cli = AppGroup("tenants", help="Tenants defined as code in TENANTS_DIR.")


@tenants_cli.command("sync")
def sync_command() -> None:
    """Make the database match the tenant files (idempotent)."""
    try:
        report = sync(current_app.config["TENANTS_DIR"])
    except CatalogError as error:
        raise click.ClickException(str(error)) from error
    for line in report.created:
        click.echo(f"created   {line}")
    for line in report.updated:
        click.echo(f"updated   {line}")
    for slug in report.only_in_database:
        click.echo(f"warning   tenant {slug} is in the database but has no file (kept)")
    click.echo(
        f"{len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged"
    )


@tenants_cli.command("list")
def list_command() -> None:
    """Show the tenants with their region, TERYT code and domains."""
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.slug)):
        domains = ", ".join(tenant.domains) or "-"
        click.echo(
            f"{tenant.slug:<14} {tenant.name('pl'):<14} {tenant.region.slug:<20} "
            f"{tenant.teryt}  {tenant.population or '-':>8}  {domains}"
        )
