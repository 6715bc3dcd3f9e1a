"""The one kind of blueprint every part of /api/v1 is made of: a friendly tag in the
document, query strings that do not parse answer 400, and every list paginated alike
(`page`, `page_size`, the `X-Pagination` header and RFC 8288 `Link` headers)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus

from flask import Response, current_app, request, url_for
from flask_smorest import Blueprint, Page
from flask_smorest.pagination import PaginationParameters
from marshmallow import Schema, fields
from sqlalchemy import Select
from sqlalchemy.orm import QueryableAttribute
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from app.core.page_cache import kept_for_the_city
from app.extensions import db
from app.pages import page_number


class QueryParser(FlaskParser):
    """A query string that does not parse is a bad request (400); a body that does not
    validate stays 422."""

    DEFAULT_VALIDATION_STATUS = 400


class BodyParser(FlaskParser):
    """Adds the `multipart` location: a form's fields and its files read as one body, so an
    upload and what is said about it are checked, and documented, together."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema):
        return MultiDictProxy(CombinedMultiDict([req.form, req.files]), schema)


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = BodyParser()
    PAGINATION_ARGUMENTS_PARSER = QueryParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }
    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}

    def __init__(self, *args, tag: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tag = tag

    def route(self, rule, *, parameters=None, tags=None, **options):
        return super().route(rule, parameters=parameters, tags=tags or [self.tag], **options)

    def arguments(self, schema, *, location="json", **kwargs):
        if location == "query":
            kwargs.setdefault("error_status_code", QueryParser.DEFAULT_VALIDATION_STATUS)
        return super().arguments(schema, location=location, **kwargs)

    def _prepare_arguments_doc(self, doc, doc_info, *, api, spec, **kwargs):
        """An upload's form fields and its files arrive as one multipart body: the document
        shows them as one (flask-smorest documents only the first body of an operation)."""
        arguments = doc_info.get("arguments")
        if arguments:
            parameters = arguments["parameters"]
            form, files = (
                next((p for p in parameters if isinstance(p, dict) and p["in"] == where), None)
                for where in ("form", "files")
            )
            if form is not None and files is not None:
                parameters.remove(form)
                files["schema"] = multipart(files["schema"], form["schema"])
        return super()._prepare_arguments_doc(doc, doc_info, api=api, spec=spec, **kwargs)

    def fails_with(self, *statuses: int):
        """Document the errors a view answers with beyond those its declarations imply
        (documentation.error_responses): 409, 410, 429…"""

        def decorate(view):
            for status in statuses:
                view = self.alt_response(status, response=HTTPStatus(status).name)(view)
            return view

        return decorate

    def versioned(self):
        """An update of a shared record (app/api/versions.py): the document adds `If-Match`
        and the answers to a stale (409, 412) or a missing (428) version."""
        return self.fails_with(409, 412, 428)

    def listing(self):
        """Paginate a view that returns its whole (already filtered and sorted) list."""
        return self.paginate(Page)

    def _set_pagination_metadata(self, page_params, result, headers):
        result, headers = super()._set_pagination_metadata(page_params, result, headers)
        metadata = json.loads(headers[self.PAGINATION_HEADER_NAME])
        links = _links(metadata, page_params.page_size)
        if links:
            headers["Link"] = links
        return result, headers


def multipart(files: Schema | type[Schema], form: Schema | type[Schema]) -> type[Schema]:
    """One schema of the files and the form fields, named after the files' schema."""
    files_schema, form_schema = (s() if isinstance(s, type) else s for s in (files, form))
    declared = {
        name: copy.deepcopy(field)
        for schema in (files_schema, form_schema)
        for name, field in schema.declared_fields.items()
    }
    return Schema.from_dict(declared, name=type(files_schema).__name__)


RELATIONS = (
    ("first", "first_page"),
    ("prev", "previous_page"),
    ("next", "next_page"),
    ("last", "last_page"),
)


def _links(metadata: dict, page_size: int) -> str:
    """RFC 8288 links to the first, previous, next and last pages of this same query."""
    arguments = request.args.to_dict(flat=False)
    arguments["page_size"] = [str(page_size)]
    links = []
    for relation, key in RELATIONS:
        if key in metadata:
            arguments["page"] = [str(metadata[key])]
            values = {**arguments, **(request.view_args or {})}
            target = url_for(str(request.endpoint), **values, _external=True)
            links.append(f'<{target}>; rel="{relation}"')
    return ", ".join(links)


class UpdatedSinceSchema(Schema):
    updated_since = fields.DateTime(
        load_default=None,
        metadata={
            "description": "Only what changed at or after this moment (ISO 8601; without a "
            "time zone, UTC)",
            "example": "2026-01-01T00:00:00+00:00",
        },
    )


def page_of(query: Select, pagination: PaginationParameters) -> list:
    """One page of a sorted query, counted by the database for the pagination headers: a
    list whose city holds thousands of rows reads only the rows it shows (`paginate()`)."""
    page = db.paginate(
        query,
        page=page_number(pagination.page),
        per_page=pagination.page_size,
        error_out=False,  # flask-smorest's convention: past the last page, an empty list
    )
    pagination.item_count = page.total
    return list(page.items)


def updated_since(
    query: Select, column: QueryableAttribute[datetime], moment: datetime | None
) -> Select:
    """`query` for what changed at or after `moment` by `column` (all of it without one)."""
    return query if moment is None else query.where(column >= aware(moment))


def changed_since(records: list, moment: datetime | None) -> list:
    """The records whose `updated_at` is at or after `moment` (all of them without one)."""
    if moment is None:
        return records
    since = aware(moment)
    return [r for r in records if aware(r.updated_at) >= since]


def aware(moment: datetime) -> datetime:
    """A moment sent without a time zone is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def kept_list_page(
    name: str,
    read_page: Callable[[], tuple[int | None, list]],
    schema: Schema,
    pagination: PaginationParameters,
    *varies_by: object,
) -> Response:
    """A page of a city's list (its total and its items, as `read_page()` gives them) kept for
    the city as `kept_for_the_city` keeps it, and kept serialised by the view's response
    `schema`: a reader after the first is answered without a row read or a field dumped.
    flask-smorest leaves the Response as it is, its pagination headers added."""

    def serialised() -> tuple[int | None, bytes]:
        total, items = read_page()
        return total, current_app.json.response(schema.dump(items)).get_data()

    # "json": apart from what earlier releases kept under the name (the rows, not dumped)
    total, body = kept_for_the_city(name, serialised, "json", *varies_by)
    pagination.item_count = total
    return current_app.response_class(body, mimetype=current_app.json.mimetype)
