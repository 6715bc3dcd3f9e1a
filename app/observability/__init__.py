"""What an operator sees of a running Razem: structured logs that name the request, city,
person and job of every line; Prometheus metrics; error reports when a Sentry DSN is set."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.observability import errors, logs, metrics

    logs.init_app(app)
    metrics.init_app(app)
    errors.init_app(app)
