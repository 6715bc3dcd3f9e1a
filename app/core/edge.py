"""Input refused at the edge, before any view or query sees it."""

from __future__ import annotations

from flask import Flask, abort, request


def refuse_nul_bytes() -> None:
    """No text of a person holds a NUL byte, and PostgreSQL cannot store one: a path,
    query or form field carrying it is a bad request, not a server error."""
    values = [request.path, *_every_value(request.args)]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += _every_value(request.form)
        values += [upload.filename or "" for upload in request.files.values()]
    if any("\x00" in value for value in values):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)


def _every_value(fields) -> list[str]:
    return [value for values in fields.listvalues() for value in values]
