"""Tenancy: the current tenant, its resolution from the URL, automatic scoping and RLS."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.tenancy import cli, cross_tenant, models, resolution, rls, scoping  # noqa: F401

    resolution.init_app(app)
    app.cli.add_command(cli.tenants_cli)
