"""flask tenants sync | list | export | import | offboard"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.tenancy import archive, clock
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


def _storage_root() -> Path:
    return Path(current_app.config["STORAGE_ROOT"])


@tenants_cli.command("export")
@click.argument("slug")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export_command(slug: str, output: Path | None) -> None:
    """Write the city's rows, the people and organisations they name, and its files into
    one archive (zip) with a manifest."""
    output = output or Path(f"{slug}-{clock.today().isoformat()}.zip")
    try:
        with archive.owner_transaction() as connection:
            with output.open("wb") as handle:
                made = archive.export_tenant(connection, slug, _storage_root(), handle)
            archive.record(connection, "tenant.export", slug, {"counts": made.counts})
    except archive.ArchiveError as error:
        output.unlink(missing_ok=True)
        raise click.ClickException(str(error)) from error
    click.echo(f"{sum(made.counts.values())} rows, {len(made.files)} files -> {output}")


@tenants_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Create the city of an archive here (new ids; people matched by e-mail, organisations
    by KRS/NIP/REGON), in one transaction."""
    try:
        with archive.owner_transaction() as connection:
            done = archive.import_tenant(connection, path, _storage_root())
            details = {"counts": done.counts, "matched": done.matched, "created": done.created}
            archive.record(connection, "tenant.import", done.slug, details)
    except archive.ArchiveError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"{done.slug}: {sum(done.counts.values())} rows, {done.files} files; people matched "
        f"{done.matched['users']}, created {done.created['users']}; organisations matched "
        f"{done.matched['organisations']}, created {done.created['organisations']}"
    )


@tenants_cli.command("offboard")
@click.argument("slug")
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
def offboard_command(slug: str, dry_run: bool) -> None:
    """Remove every row and file of the city, and the memberships and registrations tying
    people and organisations to it (their accounts and profiles stay)."""
    try:
        with archive.owner_transaction() as connection:
            plan = archive.plan_offboarding(connection, slug, _storage_root())
            for table, count in plan.counts.items():
                if count:
                    click.echo(f"{table:<28} {count:>8}")
            click.echo(f"{'files':<28} {len(plan.files):>8}")
            if dry_run:
                click.echo("Dry run: nothing was removed.")
                return
            archive.offboard_tenant(connection, plan)
            details = {"counts": plan.counts, "files": len(plan.files)}
            archive.record(connection, "tenant.offboard", slug, details)
    except archive.ArchiveError as error:
        raise click.ClickException(str(error)) from error
    archive.remove_files(_storage_root(), plan.tenant_id)
    click.echo(f"{slug} offboarded: {sum(plan.counts.values())} rows, {len(plan.files)} files.")
