"""Jobs run under the tenant and the user of the request that started them."""

from __future__ import annotations

import csv
import io

from flask import g
from sqlalchemy import select

from app import unit_of_work
from app.audit.models import AuditEntry
from app.extensions import db
from app.jobs import enqueue
from app.jobs.models import JobRecord
from app.storage import storage
from app.tenancy.context import as_system, tenant_scope
from tests import factories
from tests.conftest import csrf_token, log_in, post_form


def _csv_rows(record: JobRecord) -> list[dict]:
    with storage().open(record.result_key) as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode("utf-8-sig")), delimiter=";"))


def test_audit_export_runs_in_process_and_is_downloaded(client, make_user, tenants):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    factories.membership(tenants["kalisz"], "tylko.kalisz@example.org")
    log_in(client, "a.szymanska@leszno.pl")
    response = post_form(client, "/leszno/audit/export")
    job_url = response.location
    status = client.get(job_url + "/status.json").json
    assert status["status"] == "done" and status["progress"] == 100
    download = client.get(job_url + "/download")
    rows = list(csv.DictReader(io.StringIO(download.get_data().decode("utf-8-sig")), delimiter=";"))
    _assert_only_tenant(rows, tenants["leszno"].id)


def _assert_only_tenant(rows: list[dict], tenant_id: int) -> None:
    assert rows, "the export has the tenant's entries"
    # Kalisz's changes never reach Leszno's export: every entry exported is the city's own
    with tenant_scope(tenant_id):
        own = set(db.session.scalars(select(AuditEntry.id)))
    assert {int(row["Lp."]) for row in rows} <= own


def test_someone_elses_job_is_not_found(client, make_user, app):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    make_user("b.grygier@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    job_url = post_form(client, "/leszno/audit/export").location
    post_form(client, "/logout")
    log_in(client, "b.grygier@leszno.pl")
    assert client.get(job_url).status_code == 404
    assert client.get(job_url + "/download").status_code == 404


def test_a_real_rq_worker_runs_the_job_with_the_tenant_of_the_request(
    redis_queue, make_user, tenants
):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    factories.membership(tenants["kalisz"], "tylko.kalisz@example.org")
    factories.membership(tenants["leszno"], "b.grygier@leszno.pl")
    with redis_queue(), tenant_scope(tenants["leszno"].id):
        g.actor_id = admin.id
        record = enqueue("audit.export_csv", filters={})
        unit_of_work.commit()
        assert record.status == "queued"
    redis_queue.run_worker()
    finished = db.session.get(JobRecord, record.id)
    assert finished.status == "done", finished.error
    assert finished.attempts == 1
    rows = _csv_rows(finished)
    assert len(rows) == 2  # the two Leszno memberships
    _assert_only_tenant(rows, tenants["leszno"].id)


def test_a_failed_job_tells_the_person_what_to_do_and_logs_the_exception(
    client, make_user, tenants, caplog
):
    from app.jobs.queue import job

    @job("test.always_fails")
    def always_fails(record):
        raise ValueError("exceeded 255 char limit for property")

    user = make_user("b.grygier@leszno.pl", leszno="staff")
    with tenant_scope(tenants["leszno"].id):
        g.actor_id = user.id
        record = enqueue("test.always_fails")
        unit_of_work.commit()
    assert record.status == "failed"
    assert "exceeded 255 char limit" in caplog.text, "the exception goes to the log"
    log_in(client, "b.grygier@leszno.pl")
    for language, words in [("pl", "spróbuj ponownie"), ("en", "try again")]:
        client.post("/language", data={"locale": language, "csrf_token": csrf_token(client)})
        page = client.get(f"/jobs/{record.id}").get_data(as_text=True)
        error = client.get(f"/jobs/{record.id}/status.json").json["error"]
        for shown in (page, error):
            assert words in shown.lower()
            assert "ValueError" not in shown and "255" not in shown


def test_a_failed_delivery_is_retried_by_the_worker(app, redis_queue, mailbox, app_context):
    from app.jobs.models import JobStatus
    from app.mail import send_mail

    mailbox.refuse_next = 1
    # retry at once, so that a burst worker sees the retry
    with redis_queue(retry_intervals=(0, 0)), app.test_request_context():
        send_mail(
            "h.hendrysiak@echo.org.pl",
            "Przypomnienie",
            "password_reset",
            user=type("U", (), {"name": "Hanna"})(),
            link="http://example.org/x",
        )
        unit_of_work.commit()
    with as_system():  # the job of nobody in no city: the system's alone
        record_id = db.session.scalars(db.select(JobRecord.id)).one()
    redis_queue.run_worker()
    finished = factories.job(record_id)
    assert finished.status == JobStatus.DONE and finished.attempts == 2
    assert mailbox.last_to("h.hendrysiak@echo.org.pl")["Subject"] == "Przypomnienie"
