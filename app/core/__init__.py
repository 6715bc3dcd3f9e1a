from flask import Flask


def init_app(app: Flask) -> None:
    from app.core import edge, errors, page_cache, views  # noqa: F401 (page_cache: its events)

    app.register_blueprint(views.blueprint)
    errors.init_app(app)
    edge.init_app(app)
