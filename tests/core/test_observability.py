"""What an operator sees: a request id on every answer and log line, structured logs that
name the tenant, the person and the job, in the web and the worker; metrics for the
monitoring and nobody else; error reports when a Sentry DSN is set."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys

from flask import g

from app import trust_proxies, unit_of_work
from app.extensions import db
from app.jobs.models import JobRecord
from app.observability import errors, logs
from tests.conftest import REDIS_URL, log_in

OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}


def test_a_request_id_is_taken_or_made_and_sent_back(client):
    assert client.get("/", headers={"X-Request-ID": "nginx-4f2a"}).headers["X-Request-ID"] == (
        "nginx-4f2a"
    )
    made = client.get("/").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    forged = client.get("/", headers={"X-Request-ID": "x\u2028{json}" + "a" * 200})
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["X-Request-ID"])


def test_log_lines_carry_the_request_tenant_and_person(client, make_user, tenants, caplog):
    user = make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")

    with caplog.at_level(logging.INFO):
        client.get("/leszno/members", headers={"X-Request-ID": "req-members-1"})

    line = next(r for r in caplog.records if r.getMessage().startswith("GET /leszno/members"))
    assert line.name == "app.requests" and " 200 " in line.getMessage()
    assert (line.request_id, line.tenant_id, line.user_id) == (
        "req-members-1",
        tenants["leszno"].id,
        user.id,
    )


def test_a_json_line_has_every_field(app):
    with app.test_request_context("/leszno/"):
        g.request_id, g.actor_id = "req-1", 7
        record = logging.getLogger("app.test").makeRecord(
            "app.test", logging.WARNING, __file__, 1, "storage is full", (), None
        )
        logs.ContextFilter().filter(record)

    line = json.loads(logs.formatter("json").format(record))

    assert line["message"] == "storage is full" and line["level"] == "WARNING"
    assert line["request_id"] == "req-1" and line["user_id"] == 7
    assert {"time", "logger", "tenant_id", "job_id"} <= line.keys()


def test_a_field_the_caller_names_is_kept_and_nothing_raises(app, caplog):
    """RQ logs a failed job with extra={"job_id": …}; that must not break the worker."""
    with app.test_request_context("/leszno/"), caplog.at_level(logging.ERROR):
        logging.getLogger("rq.worker").error("job failed", extra={"job_id": "rq-7"})

    assert caplog.records[-1].job_id == "rq-7"


def test_the_worker_logs_json_with_the_job_and_tenant(
    app, redis_queue, databases, mailbox, app_context, tenants
):
    from app.mail import send_mail
    from app.tenancy.context import tenant_scope

    with redis_queue(), app.test_request_context(), tenant_scope(tenants["leszno"].id):
        send_mail(
            "h.hendrysiak@echo.org.pl",
            "Przypomnienie",
            "password_reset",
            user=type("U", (), {"name": "Hanna"})(),
            link="http://example.org/x",
        )
        unit_of_work.commit()
        record = db.session.scalars(db.select(JobRecord)).one()  # the city's job
    env = {
        **os.environ,
        "RAZEM_ENV": "testing",
        "LOG_FORMAT": "json",
        "DATABASE_URL": databases.app_url,
        "REDIS_URL": REDIS_URL,
        "STORAGE_ROOT": str(app.config["STORAGE_ROOT"]),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mailbox.port),
    }
    worker = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--burst"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    lines = [json.loads(line) for line in worker.stderr.splitlines() if line.startswith("{")]
    sent = next(line for line in lines if line["message"].startswith("mail <"))
    assert sent["job_id"] == record.id and sent["tenant_id"] == tenants["leszno"].id
    assert sent["level"] == "INFO" and sent["time"]


def test_metrics_are_refused_to_the_public(client):
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 404


def test_a_forwarded_address_does_not_open_the_metrics(app):
    plain = app.wsgi_app
    app.config["PROXY_FIX"] = True
    trust_proxies(app)
    try:
        spoofed = app.test_client().get(
            "/metrics", environ_base=OUTSIDE, headers={"X-Forwarded-For": "127.0.0.1"}
        )
    finally:
        app.wsgi_app = plain
        app.config["PROXY_FIX"] = False
    assert spoofed.status_code == 404


def test_metrics_with_the_token_from_anywhere(app, client):
    app.config["METRICS_TOKEN"] = "s3cret-scrape-token"
    try:
        wrong, right = (
            client.get("/metrics", environ_base=OUTSIDE, headers={"Authorization": f"Bearer {t}"})
            for t in ("x", "s3cret-scrape-token")
        )
    finally:
        app.config["METRICS_TOKEN"] = None
    assert wrong.status_code == 404 and right.status_code == 200


def _value(metrics: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", metrics, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_metrics_count_requests_mail_and_queued_jobs(app, client, redis_queue, app_context):
    from app.mail import send_mail

    before = client.get("/metrics").get_data(as_text=True)
    client.get("/leszno/")
    client.get("/atlantyda/")
    with app.test_request_context():
        send_mail("a@leszno.pl", "Temat", "password_reset", user=None, link="http://x")
        unit_of_work.commit()  # in-process: sent now
    with redis_queue(), app.test_request_context():
        queued = client.get("/metrics").get_data(as_text=True)
        send_mail("b@leszno.pl", "Temat", "password_reset", user=None, link="http://x")
        unit_of_work.commit()  # queued in Redis for a worker
        after = client.get("/metrics").get_data(as_text=True)

    home = 'razem_http_requests_total{method="GET",route="/<tenant_slug>/",status="200"}'
    missing = 'razem_http_requests_total{method="GET",route="/<tenant_slug>/",status="404"}'
    assert _value(after, home) == _value(before, home) + 1
    assert _value(after, missing) == _value(before, missing) + 1
    assert _value(after, "razem_mail_sent_total") == _value(before, "razem_mail_sent_total") + 1
    assert 'razem_http_request_duration_seconds_bucket{le="0.01",method="GET"' in after
    waiting = 'razem_queue_jobs{queue="razem-mail"}'
    assert _value(after, waiting) == _value(queued, waiting) + 1
    assert _value(after, "razem_redis_up") == 1
    assert 'razem_jobs_stuck{queue="razem"} 0.0' in after
    assert 'razem_jobs_failed{queue="razem"}' in after


def test_error_reports_only_with_a_dsn(app, monkeypatch):
    started = {}
    monkeypatch.setattr(errors.sentry_sdk, "init", lambda **options: started.update(options))
    assert errors.init_app(app) is False and not started

    monkeypatch.setitem(app.config, "SENTRY_DSN", "https://public@sentry.example.org/1")
    assert errors.init_app(app) is True
    assert started["dsn"] == "https://public@sentry.example.org/1"
    assert started["send_default_pii"] is False
