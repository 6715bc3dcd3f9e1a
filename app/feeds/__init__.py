"""Atom feeds of a city (minutes, programme stages, consultations, events) and of a region's
public adoption matrix, and the widget a city's own website may frame."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.feeds import views

    app.register_blueprint(views.blueprint)
