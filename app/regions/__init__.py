from flask import Flask


def init_app(app: Flask) -> None:
    from app.regions import documents, jobs, models, views  # noqa: F401

    app.register_blueprint(views.blueprint)
