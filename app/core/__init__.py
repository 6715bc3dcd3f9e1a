from flask import Flask


def init_app(app: Flask) -> None:
    from app.core import errors, views

    app.register_blueprint(views.blueprint)
    errors.init_app(app)
