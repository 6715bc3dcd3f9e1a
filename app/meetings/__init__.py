"""Participatory meetings: minutes, attendance, SWOT, decisions, attachments."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.meetings import documents, jobs, models, views  # noqa: F401

    app.register_blueprint(views.blueprint)
    app.cli.add_command(jobs.reminders_cli)
