"""One error format: translated pages for people, application/problem+json for the API."""

from __future__ import annotations

import logging

from flask import Flask, Response, json, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def problem_response(status: int, title: str, detail: str | None = None, **extra) -> Response:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please log in."),
        403: _("You do not have permission to do this."),
        404: _("This page does not exist."),
        405: _("This action is not allowed here."),
        409: _("Someone else changed this in the meantime."),
        410: _("The time for this is over, or has not come yet."),
        413: _("The file is too large."),
        422: _("Some of the data is not valid."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side."),
        503: _("The service is temporarily unavailable."),
    }


def handle_http_error(error: HTTPException):
    status = error.code or 500
    title = _titles().get(status, error.name)
    if wants_problem_json():
        data = getattr(error, "data", None) or {}
        extra = {}
        # webargs puts invalid fields in "messages"; our own aborts in "errors"
        if data.get("messages") or data.get("errors"):
            extra["errors"] = data.get("messages") or data.get("errors")
        if data.get("message"):
            extra["detail"] = data["message"]
        return problem_response(status, title, **extra)
    return render_template("errors/error.html", status=status, title=title), status


def handle_unexpected_error(error: Exception):
    log.exception("unhandled error on %s", request.path)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
