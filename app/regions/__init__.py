from flask import Flask


def init_app(app: Flask) -> None:
    from app.regions import views

    app.register_blueprint(views.blueprint)
