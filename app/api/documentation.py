"""What the OpenAPI document says of every operation besides what its view declares: the
error answers it really gives (problem+json), who may call it, how its lists page, and
words for the parameters every part of the API shares."""

from __future__ import annotations

from http import HTTPStatus

from apispec import BasePlugin
from marshmallow import Schema, fields

from app.api.versions import IF_MATCH

PROBLEM_JSON = "application/problem+json"


class ProblemSchema(Schema):
    """An error, as RFC 9457 problem details: every error of /api/v1 has this shape."""

    type = fields.String(
        metadata={"description": "Always `about:blank`: the status says what kind of error"},
    )
    title = fields.String(
        required=True,
        metadata={
            "description": "The kind of error in the reader's language",
            "example": "Nie masz uprawnień, by to zrobić.",
        },
    )
    status = fields.Integer(
        required=True, metadata={"description": "The HTTP status code", "example": 403}
    )
    detail = fields.String(
        metadata={"description": "What went wrong in this request, when there is more to say"}
    )
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={
            "description": "The invalid input by location (`json`, `query`) and field, each with "
            "its messages; or facts of the conflict (e.g. `existing_organisation_id`)",
            "example": {
                "query": {
                    "page_size": [
                        "Must be greater than or equal to 1 and less than or equal to 100."
                    ]
                }
            },
        },
    )


# Path and query parameters every part of the API shares: (summary, example).
PARAMETERS = {
    "tenant_slug": ("The city (tenant) by its slug, as in /api/v1/tenants", "leszno"),
    "region_slug": ("The region (voivodeship) by its slug, as in /api/v1/regions", "wielkopolskie"),
    "meeting_id": ("The meeting's id in the city", 1),
    "team_id": ("The team's id in the city", 1),
    "programme_id": ("The programme's id in the city", 1),
    "proposal_id": ("The id of a proposal to a programme of the city", 1),
    "comment_id": ("The id of a consultation comment on a programme of the city", 1),
    "year_report_id": ("The id of the report on one year of a multi-year programme", 1),
    "window": ("The window: `proposals` or `consultation`", "consultation"),
    "organisation_id": ("The organisation's id (the same in every city)", 1),
    "registration_id": ("The city's registration of an organisation, by its own id", 1),
    "event_registration_id": ("A registration for the meeting, by its id", 1),
    "decision_id": ("A decision of one of the city's meetings, by its id", 1),
    "membership_id": ("A person's membership in the city (their role), by its id", 1),
    "invitation_id": ("An invitation to work in the city, by its id", 1),
    "project_id": ("The id of a standards project of the region", 1),
    "standard_id": ("The id of a standard of the region's projects", 1),
    "adoption_id": ("The id of a city's declaration awaiting review", 1),
    "job_id": ("The job's id, from the answer that started it", "0b7f3c1e-5d2a-4e8b-9c61"),
    "subscription_id": ("The webhook subscription's id in the city", 1),
    "page": ("The page of the list, from 1; past the last page the list is empty", 1),
    "page_size": ("How many items a page holds (at most 100)", 20),
}


def error_responses(path: str, operation: dict) -> dict[int, str]:
    """The errors an operation answers with, read from what it declares."""
    parameters = operation.get("parameters", [])
    errors: dict[int, str] = {}
    if any(p.get("in") == "query" for p in parameters):
        errors[400] = "BAD_REQUEST"
    if "security" in operation:
        errors[401] = "UNAUTHORIZED"
        errors[403] = "FORBIDDEN"
    if "{" in path:
        errors[404] = "NOT_FOUND"
    if "requestBody" in operation:
        errors[422] = "UNPROCESSABLE_ENTITY"
    return errors


def access_sentence(operation: dict, method: str) -> str:
    if "security" not in operation:
        public = "Public: no token needed."
        if method == "get":
            public += (
                " Anonymous answers carry an `ETag` (and a single record `Last-Modified`): send "
                "`If-None-Match` or `If-Modified-Since` for a 304. A city's own websites "
                "(`cors_origins` of its TOML file) may read it from the browser (CORS)."
            )
        return public
    return (
        "Needs a bearer token (`Authorization: Bearer …`, from POST /api/v1/auth/token) "
        "where the role asks for one: 401 without it, 403 for a role that may not."
    )


PAGINATION_SENTENCE = (
    "Paginated like every list: `page` and `page_size` (at most 100); the `X-Pagination` "
    "header holds the totals and `Link` headers (RFC 8288) point to the first, previous, "
    "next and last pages."
)


class Documentation(BasePlugin):
    """An apispec plugin completing each operation as it is added to the document."""

    def path_helper(self, path=None, operations=None, parameters=None, **kwargs):
        for parameter in parameters or []:
            _describe_parameter(parameter)

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            _document_errors(path or "", method, operation)
            _document_if_match(operation)
            _describe(method, operation)
            for parameter in operation.get("parameters", []):
                _describe_parameter(parameter)


def _document_errors(path: str, method: str, operation: dict) -> None:
    responses = operation.setdefault("responses", {})
    # flask-smorest keys the responses by number, apispec by text: keep a view's own
    declared = {str(status) for status in responses}
    for status, name in error_responses(path, operation).items():
        if str(status) not in declared:
            responses[str(status)] = name
    if method == "get" and "security" not in operation:
        responses.setdefault("304", "NOT_MODIFIED")
        _document_validators(responses.get(200) or responses.get("200"))


def _document_if_match(operation: dict) -> None:
    """An update answering 412 (`ApiBlueprint.versioned`) takes the ETag in `If-Match`."""
    if "412" in {str(status) for status in operation.get("responses", {})}:
        operation.setdefault("parameters", []).append(IF_MATCH)


def _describe(method: str, operation: dict) -> None:
    """The docstring's own description, then who may call it and how its list pages."""
    sentences = [operation.get("description", ""), access_sentence(operation, method)]
    if any(p.get("name") == "page" for p in operation.get("parameters", [])):
        sentences.append(PAGINATION_SENTENCE)
    operation["description"] = "\n\n".join(s for s in sentences if s)


# What an anonymous read answers with besides its body (app/api/http.py).
VALIDATORS = {
    "ETag": "The answer's version: send it back in `If-None-Match` for a 304",
    "Last-Modified": "When a record last changed (single records): for `If-Modified-Since`",
}


def _document_validators(success: dict | None) -> None:
    if not isinstance(success, dict):
        return
    headers = success.setdefault("headers", {})
    for name, description in VALIDATORS.items():
        headers.setdefault(name, {"description": description, "schema": {"type": "string"}})


def _describe_parameter(parameter: dict) -> None:
    if not isinstance(parameter, dict) or parameter.get("name") not in PARAMETERS:
        return
    description, example = PARAMETERS[parameter["name"]]
    parameter.setdefault("description", description)
    parameter.setdefault("example", example)


def register_responses(spec) -> None:
    """One response component per HTTP status; every error one is a problem+json."""
    for status in HTTPStatus:
        response: dict = {"description": status.phrase}
        if status >= 400:
            response["content"] = {PROBLEM_JSON: {"schema": ProblemSchema}}
        spec.components.response(status.name, response, lazy=True)
    spec.components.response(
        "DEFAULT_ERROR",
        {"description": "Any other error", "content": {PROBLEM_JSON: {"schema": ProblemSchema}}},
        lazy=True,
    )
