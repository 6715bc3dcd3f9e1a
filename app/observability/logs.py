"""Logs as one JSON object a line (LOG_FORMAT=json, production's default) or as text, each
line carrying the request id (taken from X-Request-ID or made, and sent back), the tenant,
the user and the job it was written for — in web processes and workers alike."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, has_app_context, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

from app.tenancy.context import current_tenant_id

REQUEST_ID_HEADER = "X-Request-ID"
# What a request id from outside may look like: a proxy's or a client's correlation id,
# never a way to write something else into the logs.
ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
CONTEXT_FIELDS = ("request_id", "tenant_id", "user_id", "job_id")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s (request %(request_id)s)"
QUIET_LOGGERS = ("weasyprint", "fontTools")
_HANDLER_MARK = "razem_log_handler"

log = logging.getLogger("app.requests")


class StandardError(logging.StreamHandler):
    """Writes to whatever sys.stderr is when the line is written (a reopened stream, a test's
    capture), never to a stream closed since the handler was made."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure(log_format: str, level: str = "INFO") -> None:
    """One handler on the root logger, writing to stderr; configuring again (another app
    in the same process) replaces it rather than doubling every line."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(handler)
    handler = StandardError()
    setattr(handler, _HANDLER_MARK, True)
    handler.setFormatter(formatter(log_format))
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter(
            ["levelname", "name", "message", *CONTEXT_FIELDS],
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",  # ISO 8601, UTC
        )
    return logging.Formatter(TEXT_FORMAT)


class ContextFilter(logging.Filter):
    """Adds the context to every record the handler writes, whoever logged it (the app, RQ,
    SQLAlchemy). A field the caller passed in `extra` is kept: RQ names its job_id so, and
    a record factory that set the fields first would make that call raise."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in current_context().items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


def current_context() -> dict[str, str | int | None]:
    context: dict[str, str | int | None] = dict.fromkeys(CONTEXT_FIELDS)
    if not has_app_context():
        return context
    context["tenant_id"] = current_tenant_id()
    context["user_id"] = g.get("actor_id")
    job_id = _current_job_id()
    context["job_id"] = job_id
    context["request_id"] = g.get("request_id") if has_request_context() else job_id
    return context


def _current_job_id() -> str | None:
    from rq import get_current_job

    try:
        job = get_current_job()
    except Exception:  # outside a worker RQ has nothing to say, and must never break a log line
        return None
    return job.id if job is not None else None


def request_id_of_the_request() -> str:
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    return sent if ACCEPTED_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


def start_request() -> None:
    g.request_id = request_id_of_the_request()
    g.request_started = time.perf_counter()


def finish_request(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    took = time.perf_counter() - g.get("request_started", time.perf_counter())
    if request.endpoint not in ("core.healthz", "core.readyz", "metrics.metrics"):
        log.info(
            "%s %s %s %.0f ms",
            request.method,
            request.path,
            response.status_code,
            took * 1000,
            extra={"status": response.status_code, "duration_ms": round(took * 1000, 1)},
        )
    return response


def init_app(app: Flask) -> None:
    configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    # First of all, before the edge refuses input and the tenant is looked up, so that
    # their lines and answers carry the request id too.
    app.url_value_preprocessors.setdefault(None, []).insert(0, lambda *_: start_request())
    app.after_request(finish_request)
