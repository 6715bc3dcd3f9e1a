from flask import Flask


def init_app(app: Flask) -> None:
    from app.audit import jobs, models, views  # noqa: F401 - registers the models and the job
    from app.audit.labels import entity_label, shown_changes

    app.register_blueprint(views.blueprint)
    app.jinja_env.globals["entity_label"] = entity_label
    app.jinja_env.globals["shown_changes"] = shown_changes
