"""The law's pages: each city's privacy policy and accessibility statement, and the privacy
clause on every public form that collects personal data (RODO art. 13)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.legal import access, models, texts, views  # noqa: F401

    app.register_blueprint(views.blueprint)
    app.jinja_env.globals["privacy_clause_of"] = texts.privacy_clause
