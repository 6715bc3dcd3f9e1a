"""Optimistic locking over HTTP: every update of a shared record states the version it
started from, as `version` in its body or as the record's ETag in `If-Match` (RFC 9110).

A token holder's read of a versioned record carries `ETag: "v<version>"`, so a client can
send it back unchanged. A stale `If-Match` answers 412, a stale `version` 409, neither 428.
Public reads keep their content ETags (app/api/http.py): what they show can change without
the record's version (free places of a meeting), so a version is no validator for them."""

from __future__ import annotations

import re
from typing import Protocol

from flask import Response, g, request
from flask_babel import gettext as _
from flask_smorest import abort


class Versioned(Protocol):
    """A shared record (app.unit_of_work.OptimisticLock), or what stands for one: a row
    not saved yet (version 0), a row read across the region."""

    @property
    def lock_version(self) -> int: ...


VERSION_TAG = re.compile(r'^(?:W/)?"v(\d+)"$')

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The ETag of the record as you read it (`"v3"`), instead of `version` '
    "in the body: 412 when the record changed since",
    "example": '"v1"',
}


def tag_of(version: int) -> str:
    return f'"v{version}"'


def shows_version(record: Versioned) -> None:
    """The answer shows this record as it is now: its ETag is the record's version."""
    g.api_version = record.lock_version


def version_read(record: Versioned, data: dict) -> int:
    """The version an update started from; the record's version when none is stale.

    Takes `version` out of `data`. A record changed since `If-Match` answers 412 at once;
    a stale `version` is the service's to refuse (409, with what was sent kept)."""
    in_body = data.pop("version", None)
    in_header = _if_match()
    if in_body is None and in_header is None:
        abort(
            428,
            message=_('Send the version you read: "version" in the body or the ETag in If-Match.'),
        )
    if in_header is not None and in_header != record.lock_version:
        abort(412, message=_("The record has changed since you read it: read it again."))
    return in_body if in_body is not None else in_header


def _if_match() -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    found = VERSION_TAG.match(header.strip())
    if found is None:
        abort(
            400,
            message=_('If-Match holds the record\'s ETag as you read it, e.g. "v3".'),
        )
    return int(found.group(1))


def tag_versioned(response: Response) -> Response:
    """A versioned record's answer to a token holder carries its version as the ETag."""
    version = g.get("api_version")
    if version is not None and response.status_code in (200, 201):
        response.set_etag(tag_of(version).strip('"'))
    return response
