"""The API's twin of every page that starts an export, generated from the export doors
(doors.py): the page's path under /api/v1 (`/<tenant_slug>/X` ⇒ `/tenants/<tenant_slug>/X`;
a region's `/regions/<region_slug>/X` and the operator's `/platform/<tenant_slug>/X` as they
are), the roles its view requires, and the very function it calls, which loads the records
through the feature's access policy. The answer is the job to poll (202 Accepted,
`Location: /api/v1/jobs/<id>`)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from app.accounts.permissions import require
from app.api import BEARER
from app.api.blueprint import ApiBlueprint
from app.exports.doors import Door, ExportRefused, doors
from app.jobs.api import JobSchema, job_resource, location_of

# The URL parameters that name where a request is (tenancy/resolution.py takes them).
PLACES = ("tenant_slug", "region_slug")


def api_path(page_rule: str) -> str:
    """The API's path of a page: a city's own pages sit under /tenants; a region's and the
    operator's keep theirs."""
    return "/tenants" + page_rule if page_rule.startswith("/<tenant_slug>/") else page_rule


def blueprint_for(app: Flask) -> ApiBlueprint:
    """The export operations of the pages registered in `app` (its url_map and views)."""
    blueprint = ApiBlueprint(
        "api_exports",
        __name__,
        tag="Eksport dokumentów · Document exports",
        url_prefix="/api/v1",
        description="Official documents and registers exported as files by a background job",
    )
    for door in sorted(doors().values(), key=lambda door: door.page):
        _add_operation(app, blueprint, door)
    return blueprint


def _page_rule(app: Flask, door: Door):
    rules = [r for r in app.url_map.iter_rules(door.page) if "POST" in (r.methods or ())]
    assert len(rules) == 1, f"the export page {door.page} has {len(rules)} POST rules"
    return rules[0]


def _add_operation(app: Flask, blueprint: ApiBlueprint, door: Door) -> None:
    page_view = app.view_functions[door.page]
    roles = getattr(page_view, "required_roles", ())
    schema = request_schema(door)

    def start(data: dict, **path: Any):
        for place in PLACES:
            path.pop(place, None)
        document = data.pop("document", None)
        try:
            record = door.start(document, data.pop("file_format"), **path, **data)
        except ExportRefused as refused:
            abort(422, message=str(refused))
        return job_resource(record), 202, location_of(record)

    start.__name__ = door.page.replace(".", "_")
    start.__doc__ = f"{door.summary}.\n\n{door.description}\n\n" + (
        "Answers 202 Accepted with the job to poll (`Location: /api/v1/jobs/{id}`); once "
        "it is done, the job links to the file. The same access as the page that starts "
        "this export."
    )
    view = require(*roles)(start)
    view = blueprint.doc(security=BEARER)(view)
    view = blueprint.response(202, JobSchema, headers=LOCATION_HEADER)(view)
    view = blueprint.arguments(schema)(view)
    blueprint.route(api_path(_page_rule(app, door).rule), methods=["POST"])(view)


LOCATION_HEADER = {
    "Location": {
        "description": "The job to poll: /api/v1/jobs/{id}",
        "schema": {"type": "string"},
    }
}


def request_schema(door: Door) -> Schema:
    """What to export: the document (where the page starts several), its format, and the
    document's own arguments."""
    documents = door.documents()
    formats = door.all_formats()
    declared: dict[str, fields.Field] = {
        "file_format": fields.String(
            required=True,
            validate=validate.OneOf(formats),
            metadata={
                "description": "The file's format; each document has its own (422 otherwise)",
                "example": formats[0],
            },
        )
    }
    if len(documents) > 1:
        declared["document"] = fields.String(
            required=True,
            validate=validate.OneOf(list(documents)),
            metadata={
                "description": "The document: "
                + "; ".join(f"{name} ({', '.join(kinds)})" for name, kinds in documents.items()),
                "example": next(iter(documents)),
            },
        )
    name = "".join(part.title() for part in door.page.replace(".", "_").split("_"))
    return type(f"{name}Schema", (door.arguments or Schema,), declared)()
