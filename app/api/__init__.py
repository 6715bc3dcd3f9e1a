"""/api/v1: flask-smorest wiring, the OpenAPI document, problem+json errors."""

from __future__ import annotations

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask, request
from flask_smorest import Api

from app.api.documentation import Documentation, ProblemSchema, register_responses
from app.core.errors import handle_http_error
from app.extensions import csrf


class RazemApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):
        # flask-smorest registers this for the whole app; keep Razem's one error format.
        return handle_http_error(error)

    def _register_responses(self):
        # flask-smorest's own would document errors as application/json of its own shape
        register_responses(self.spec)

    def register_blueprint(self, blp, **options):
        super().register_blueprint(blp, **options)
        # flask-smorest lists the blueprint's name as the tag; the document shows the
        # friendly name its operations are tagged with (ApiBlueprint.route)
        self.spec._tags[-1] = {"name": blp.tag, "description": blp.description}


def schema_name(schema) -> str:
    """Component names for the OpenAPI document: a partial (PATCH) variant gets its own."""
    cls = resolve_schema_cls(schema)
    cls = cls[0] if isinstance(cls, list) else cls
    name = cls.__name__.removesuffix("Schema")
    return f"{name}Patch" if getattr(schema, "partial", False) else name


api = RazemApi(
    spec_kwargs={
        "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name),
        "extra_plugins": [Documentation()],
    }
)
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]


def init_app(app: Flask) -> None:
    from app.accounts import api as accounts
    from app.accounts.permissions import require_declared_roles
    from app.api import core, docs, http
    from app.exports import api as exports
    from app.jobs import api as jobs
    from app.meetings import api as meetings
    from app.organisations import api as organisations
    from app.programmes import api as programmes
    from app.regions import api as regions
    from app.webhooks import api as webhooks

    api.init_app(app)
    blueprints = (
        core.blueprint,
        accounts.blueprint,
        organisations.blueprint,
        programmes.blueprint,
        meetings.blueprint,
        regions.blueprint,
        jobs.blueprint,
        exports.blueprint_for(app),
        webhooks.blueprint,
    )
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)  # the API reads no session cookie; bearer tokens only
    names = {blueprint.name for blueprint in blueprints}
    http.init_app(app, names)
    app.register_blueprint(docs.blueprint)

    @app.before_request
    def who_before_what():
        # the body is parsed by decorators outside `require`: ask who sends it first
        if request.blueprint in names:
            return require_declared_roles()
        return None
