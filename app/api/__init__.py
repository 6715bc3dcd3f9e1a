"""/api/v1: flask-smorest wiring, the OpenAPI document, problem+json errors."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from app.core.errors import handle_http_error
from app.extensions import csrf


class RazemApi(Api):
    def handle_http_exception(self, error):
        # flask-smorest registers this for the whole app; keep Razem's one error format.
        return handle_http_error(error)


api = RazemApi()
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]


def init_app(app: Flask) -> None:
    from app.api import core

    api.init_app(app)
    for blueprint in (core.blueprint,):
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)  # the API reads no session cookie; bearer tokens only
