"""Webhooks: a city subscribes its own systems (its website, its BIP) to Razem's events and
gets each one POSTed, signed (Standard Webhooks), retried with backoff, delivered once."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.webhooks import access, cli, delivery, models, views  # noqa: F401
    from app.webhooks.catalogue import event_label

    app.register_blueprint(views.blueprint)
    app.jinja_env.globals["webhook_event_label"] = event_label
    app.cli.add_command(cli.webhooks_cli)
