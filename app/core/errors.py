"""One error format: translated pages for people, application/problem+json for the API."""

from __future__ import annotations

import logging
from contextlib import suppress

from flask import (
    Flask,
    Response,
    current_app,
    g,
    json,
    make_response,
    redirect,
    render_template,
    request,
)
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from app import unit_of_work
from app.storage import StorageUnavailable

log = logging.getLogger(__name__)
# The database is down, restarting, unreachable, or has no connection to spare.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)


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
        409: _("This conflicts with what is already saved."),
        410: _("The time for this is over, or has not come yet."),
        412: _("The record has changed since you read it."),
        413: _("The file is too large."),
        422: _("Some of the data is not valid."),
        428: _("Say which version of the record you read."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side."),
        503: _("The service is temporarily unavailable."),
    }


def handle_http_error(error: HTTPException):
    unit_of_work.rollback()
    status = error.code or 500
    if status == 404 and (canonical := _without_trailing_slash()):
        return redirect(canonical, 308)
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
    return _page(status, title)


def _without_trailing_slash() -> str | None:
    """`/leszno/programmes/` is the page `/leszno/programmes`: send the person there."""
    path = request.path
    if not path.endswith("/") or path == "/" or request.method not in ("GET", "HEAD"):
        return None
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(path.rstrip("/"), method=request.method)
    except HTTPException:
        return None
    query = request.query_string.decode("latin-1")
    return request.script_root + path.rstrip("/") + (f"?{query}" if query else "")


def handle_unexpected_error(error: Exception):
    unit_of_work.rollback()
    log.exception("unhandled error on %s", request.path)
    return handle_http_error(InternalServerError())


def handle_conflict(error: Exception):
    """A save that lost against another one, or broke a rule of the database, that no view
    turned into a form message: a 409 saying so, never a 500."""
    unit_of_work.rollback()
    if isinstance(error, IntegrityError):
        error = unit_of_work.ConstraintViolation(error)
    elif isinstance(error, StaleDataError):
        error = unit_of_work.EditConflict()
    return _error_answer(409, _titles()[409], str(error))


def handle_database_unavailable(error: Exception):
    """The database does not answer: a 503 that asks to come back, drawn without asking the
    database anything more — not the person (their session names them, loading them would
    fail again), not their language preference, not the city's menu."""
    g.database_unavailable = True
    for unusable in ("tenant", "region"):  # expired by the rollback: reading them would query
        g.pop(unusable, None)
    with suppress(*DATABASE_UNAVAILABLE):  # the connection is gone already; the pool replaces it
        unit_of_work.rollback()
    log.error("database unavailable on %s: %s", request.path, error)
    title = _titles()[503]
    if wants_problem_json():
        response = problem_response(503, title)
    else:
        response = make_response(render_template("errors/unavailable.html", title=title), 503)
    response.headers["Retry-After"] = str(current_app.config["UNAVAILABLE_RETRY_AFTER_SECONDS"])
    return response


def handle_storage_unavailable(error: Exception):
    """A file the storage could not take where no form shows the message: a 503 saying so.
    Nothing of the request is saved."""
    unit_of_work.rollback()
    response = make_response(_error_answer(503, _titles()[503], str(error)))
    response.headers["Retry-After"] = str(current_app.config["UNAVAILABLE_RETRY_AFTER_SECONDS"])
    return response


def _error_answer(status: int, title: str, detail: str | None = None):
    if wants_problem_json():
        return problem_response(status, title, detail)
    return _page(status, title, detail)


def _page(status: int, title: str, detail: str | None = None):
    """The styled error page; when even that cannot be drawn (the request broke what the
    layout reads), the same words as plain text, still passing through the after-request
    hooks that add the security headers, rather than the server's bare 500."""
    try:
        return render_template(
            "errors/error.html", status=status, title=title, detail=detail
        ), status
    except Exception:
        unit_of_work.rollback()
        log.exception("the error page for %s could not be drawn", status)
        text = f"{status} {title}\n{detail or ''}".strip()
        return Response(text + "\n", status=status, mimetype="text/plain")


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    for conflict in (
        IntegrityError,
        StaleDataError,
        unit_of_work.EditConflict,
        unit_of_work.ConstraintViolation,
    ):
        app.register_error_handler(conflict, handle_conflict)
    for unavailable in DATABASE_UNAVAILABLE:
        app.register_error_handler(unavailable, handle_database_unavailable)
    app.register_error_handler(StorageUnavailable, handle_storage_unavailable)
    app.register_error_handler(Exception, handle_unexpected_error)
