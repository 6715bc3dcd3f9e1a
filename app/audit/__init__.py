from flask import Flask


def init_app(app: Flask) -> None:
    from app.audit import jobs, models, views  # noqa: F401 - registers the models and the job

    app.register_blueprint(views.blueprint)
