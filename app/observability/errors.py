"""Error reports to Sentry (or a compatible service such as GlitchTip) when SENTRY_DSN is
set: unhandled errors of requests and jobs, tagged with the request id, tenant and job —
never the person's data (send_default_pii off)."""

from __future__ import annotations

import sentry_sdk
from flask import Flask
from sentry_sdk.integrations.flask import FlaskIntegration
from sentry_sdk.integrations.rq import RqIntegration

from app.observability.logs import current_context


def init_app(app: Flask) -> bool:
    dsn = app.config["SENTRY_DSN"]
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=app.config["RAZEM_ENV"],
        integrations=[FlaskIntegration(), RqIntegration()],
        send_default_pii=False,
        traces_sample_rate=app.config["SENTRY_TRACES_SAMPLE_RATE"],
        before_send=_with_context,
    )
    return True


def _with_context(event, _hint):
    tags = event.setdefault("tags", {})
    for name, value in current_context().items():
        if value is not None:
            tags[name] = str(value)
    return event
