from flask import Flask


def init_app(app: Flask) -> None:
    from app.core import edge, errors, views

    app.register_blueprint(views.blueprint)
    errors.init_app(app)
    edge.init_app(app)
