"""Notifications: in Razem and by e-mail, at once or in a daily digest, as each person
chooses per kind; every e-mail stops its kind with one click and a confirmation."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.accounts.person_facts import register_fact
    from app.notifications import jobs, models, services, views  # noqa: F401

    register_fact(services.UNREAD, services.unread_count_of)
    app.register_blueprint(views.blueprint)
    app.jinja_env.globals["unread_notifications"] = services.unread_of_current_user
