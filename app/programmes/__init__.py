"""Cooperation programme cycles: content, schedule, proposals, consultation, adoption."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.programmes import documents, models, views  # noqa: F401

    app.register_blueprint(views.blueprint)
