from flask import Flask


def init_app(app: Flask) -> None:
    from app.platform import views

    app.register_blueprint(views.blueprint)
