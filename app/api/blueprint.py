"""The one kind of blueprint every part of /api/v1 is made of: a friendly tag in the
document, query strings that do not parse answer 400, and every list paginated alike
(`page`, `page_size`, the `X-Pagination` header and RFC 8288 `Link` headers)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from http import HTTPStatus

from flask import request, url_for
from flask_smorest import Blueprint, Page
from flask_smorest.pagination import PaginationParameters
from marshmallow import Schema, fields
from sqlalchemy import Select
from sqlalchemy.orm import QueryableAttribute
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from app.extensions import db
from app.pages import page_number


class QueryParser(FlaskParser):
    """A query string that does not parse is a bad request (400); a body that does not
    validate stays 422."""

    DEFAULT_VALIDATION_STATUS = 400


class BodyParser(FlaskParser):
    """Also reads an upload's multipart body whole (`form_and_files`): its fields and its
    files in one schema, documented as the one multipart/form-data body it is."""

    __location_map__ = {**FlaskParser.__location_map__, "form_and_files": "load_form_and_files"}

    def load_form_and_files(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = BodyParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "form_and_files": "multipart/form-data",
    }
    PAGINATION_ARGUMENTS_PARSER = QueryParser()
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
