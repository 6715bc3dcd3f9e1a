"""Jobs are at-least-once, their effects exactly-once: a real RQ worker in another process,
against the real PostgreSQL and Redis, meets the faults of a deployment."""

from __future__ import annotations

import signal
import time

from flask import g
from flask_babel import force_locale
from rq import Retry
from rq.job import Job
from sqlalchemy import func, select

from app import unit_of_work
from app.extensions import db
from app.jobs import enqueue
from app.jobs.models import JobRecord, JobStatus
from app.jobs.queue import QUEUES, dispatch, kinds, queue_for, redis_connection, runs_allowed
from app.jobs.reconcile import reconcile
from app.jobs.views import failure_message
from app.jobs.worker import Worker
from app.organisations.models import Registration
from app.storage import storage
from app.tenancy.context import acting_as, as_job_owner, tenant_scope
from tests import factories


def _record(name: str, tenant_id: int | None, user_id: int | None, **arguments) -> JobRecord:
    """A job's record as its city and person write it (row-level security); detached."""
    with as_job_owner(tenant_id, user_id):
        record = JobRecord(name=name, arguments=arguments, tenant_id=tenant_id, user_id=user_id)
        db.session.add(record)
        db.session.commit()
        db.session.refresh(record)
        db.session.expunge(record)
    return record


def _queue_through(fault: str, record: JobRecord, retries: int = 0) -> None:
    """Queue the record's job to run through a fault of tests/jobs/worker_faults.py."""
    queue_for(record.name).enqueue(
        f"tests.jobs.worker_faults.{fault}",
        record.id,
        job_id=record.id,
        retry=Retry(max=retries) if retries else None,
    )


def test_a_job_that_fails_loading_its_record_leaves_the_worker_able_to_run_the_next(
    redis_queue, make_user, tenants
):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    leszno = tenants["leszno"].id
    with redis_queue(retry_intervals=(0,)):
        lost = _record("audit.export_csv", leszno, admin.id, filters={})
        _queue_through("perform_after_the_connection_died", lost)
        with tenant_scope(leszno):
            g.actor_id = admin.id
            following = enqueue("audit.export_csv", filters={})
            unit_of_work.commit()
    redis_queue.run_worker()
    finished = factories.job(following.id)
    assert finished.status == JobStatus.DONE, finished.error
    assert finished.attempts == 1


def _queued_export(admin, tenant_id: int) -> JobRecord:
    with tenant_scope(tenant_id):
        g.actor_id = admin.id
        record = enqueue("audit.export_csv", filters={})
        unit_of_work.commit()
    return record


def test_jobs_lost_with_the_queue_are_queued_again_when_a_worker_starts(
    redis_queue, redis_client, make_user, tenants
):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    with redis_queue():
        record = _queued_export(admin, tenants["leszno"].id)
    redis_client.flushdb()  # Redis restarted without its data
    redis_queue.run_worker(JOB_LOST_AFTER_SECONDS="0")
    finished = factories.job(record.id)
    assert finished.status == JobStatus.DONE, finished.error
    assert finished.attempts == 1


def test_the_job_of_a_worker_killed_while_running_it_is_run_again(redis_queue, make_user, tenants):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    with redis_queue(retry_intervals=(0,)):
        record = _record("audit.export_csv", tenants["leszno"].id, admin.id, filters={})
        _queue_through("die_in_the_middle_of_the_first_run", record, retries=1)
    killed = redis_queue.run_worker(check=False, JOB_HEARTBEAT_SECONDS="1")
    assert killed.returncode == -signal.SIGKILL
    abandoned = factories.job(record.id)
    assert (abandoned.status, abandoned.attempts) == (JobStatus.RUNNING, 1)

    time.sleep(3.5)  # three heartbeats missed: the job is abandoned
    started = time.monotonic()
    redis_queue.run_worker(JOB_HEARTBEAT_SECONDS="1")
    finished = factories.job(record.id)
    assert finished.status == JobStatus.DONE, finished.error
    assert finished.attempts == 2
    assert time.monotonic() - started < 60


def test_a_worker_beats_and_sweeps_often_enough_to_take_up_a_dead_workers_job_in_a_minute(
    app, redis_queue, app_context
):
    with redis_queue():
        connection = redis_connection()
        worker = Worker([queue_for("mail.deliver")], connection=connection)
        job = Job.create("app.jobs.runner.perform", id="x", connection=connection)
    beats = app.config["JOB_HEARTBEAT_SECONDS"]
    # abandoned after three missed beats, found at the next sweep, even by an idle worker
    assert worker.get_heartbeat_ttl(job) == 3 * beats
    assert worker.maintenance_interval == worker.dequeue_timeout
    assert 3 * beats + worker.maintenance_interval <= 60


def test_a_running_job_beats_while_it_runs(redis_queue, make_user, tenants):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    with redis_queue():
        record = _record("audit.export_csv", tenants["leszno"].id, admin.id, filters={})
        _queue_through("take_a_while", record)
    redis_queue.run_worker(JOB_HEARTBEAT_SECONDS="1")
    finished = factories.job(record.id)
    assert finished.status == JobStatus.DONE, finished.error
    assert (finished.heartbeat_at - finished.started_at).total_seconds() >= 1


def test_the_job_of_a_dead_worker_lost_with_the_queue_is_run_again(
    redis_queue, redis_client, make_user, tenants
):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    with redis_queue(retry_intervals=(0,)):
        record = _record("audit.export_csv", tenants["leszno"].id, admin.id, filters={})
        _queue_through("die_in_the_middle_of_the_first_run", record, retries=1)
    redis_queue.run_worker(check=False, JOB_HEARTBEAT_SECONDS="1")
    redis_client.flushdb()
    time.sleep(3.5)
    redis_queue.run_worker(JOB_HEARTBEAT_SECONDS="1", JOB_LOST_AFTER_SECONDS="0")
    finished = factories.job(record.id)
    assert finished.status == JobStatus.DONE, finished.error
    assert finished.attempts == 2


def test_a_lost_job_out_of_retries_fails_with_a_reason_a_person_understands(
    app, redis_queue, make_user, tenants
):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    with redis_queue(retry_intervals=(0,)), force_locale("pl"):
        app.config["JOB_LOST_AFTER_SECONDS"] = 0
        record = _record("audit.export_csv", tenants["leszno"].id, admin.id, filters={})
        with acting_as(admin.id), tenant_scope(tenants["leszno"].id):
            running = db.session.merge(record)
            running.status, running.attempts = JobStatus.RUNNING.value, runs_allowed()
            db.session.commit()
        assert reconcile() == 1
    app.config["JOB_LOST_AFTER_SECONDS"] = 60
    failed = factories.job(record.id)
    assert failed.status == JobStatus.FAILED
    with force_locale("pl"):  # the record keeps the English; the person reads their language
        assert "zadanie zostało przerwane" in failure_message(failed).lower()


def test_an_email_is_sent_once_though_its_worker_died_after_sending_it(
    redis_queue, mailbox, app_context
):
    address = "h.hendrysiak@echo.org.pl"
    with redis_queue(retry_intervals=(0,)):
        record = _record("mail.deliver", None, None, to=address, subject="Hasło", body="Link")
        _queue_through("die_after_sending_on_the_first_run", record, retries=1)
    redis_queue.run_worker(check=False, JOB_HEARTBEAT_SECONDS="1")
    assert factories.job(record.id).status == JobStatus.RUNNING

    time.sleep(3.5)  # the worker's heartbeat is gone: the job is run again
    redis_queue.run_worker(JOB_HEARTBEAT_SECONDS="1")
    finished = factories.job(record.id)
    assert (finished.status, finished.attempts) == (JobStatus.DONE, 2)
    sent = [message for message in mailbox.messages if message["To"] == address]
    assert len(sent) == 1
    assert sent[0]["Message-ID"] == f"<{record.id}@razem>"


def test_every_kind_of_job_goes_to_a_queue_the_worker_takes_with_its_own_timeout(
    app, redis_queue, app_context
):
    with redis_queue():
        for name, kind in kinds().items():
            job_id = "kind-" + name.replace(".", "-")
            dispatch(job_id, name)
            queued = Job.fetch(job_id, connection=redis_connection())
            assert queued.origin == kind.queue in QUEUES, name
            assert queued.timeout == kind.timeout, name
    # a 25,000-row import takes minutes: far beyond RQ's default 180 s
    assert kinds()["organisations.import"].timeout >= 3600
    assert kinds()["mail.deliver"].queue == QUEUES[0]


def test_mail_is_delivered_before_bulk_work_queued_earlier(redis_queue, make_user, tenants):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    with redis_queue():
        export = _queued_export(admin, tenants["leszno"].id)
        mail = enqueue("mail.deliver", to="h.hendrysiak@echo.org.pl", subject="Hasło", body="x")
        unit_of_work.commit()
    redis_queue.run_worker()
    export, mail = factories.job(export.id), factories.job(mail.id)
    assert export.status == mail.status == JobStatus.DONE
    assert mail.started_at < export.started_at


def test_an_import_run_again_after_its_worker_died_reports_what_it_did(
    redis_queue, make_user, tenants
):
    staff = make_user("b.grygier@leszno.pl", leszno="staff")
    leszno = tenants["leszno"].id
    names = "\n".join(f"Stowarzyszenie Sąsiedzkie nr {number}" for number in range(450))
    key = storage().save(leszno, "lista.csv", f"Nazwa\n{names}\n".encode())
    with redis_queue(retry_intervals=(0,)):
        record = _record(
            "organisations.import",
            leszno,
            staff.id,
            storage_key=key,
            filename="lista.csv",
            mapping={"name": 0},
        )
        _queue_through("die_after_the_first_progress_of_the_first_run", record, retries=1)
    redis_queue.run_worker(check=False, JOB_HEARTBEAT_SECONDS="1")
    killed = factories.job(record.id)
    assert (killed.status, killed.progress) == (JobStatus.RUNNING, 44)  # 200 of 450 rows

    time.sleep(3.5)
    redis_queue.run_worker(JOB_HEARTBEAT_SECONDS="1")
    finished = factories.job(record.id)
    assert (finished.status, finished.attempts) == (JobStatus.DONE, 2), finished.error
    assert finished.summary == {"new": 450, "link": 0, "unchanged": 0, "error": 0}
    with tenant_scope(leszno):
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 450


def test_flask_jobs_reconcile_queues_the_lost_jobs_again_at_once(
    app, redis_queue, redis_client, make_user, tenants
):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    with redis_queue():
        record = _queued_export(admin, tenants["leszno"].id)
        redis_client.flushdb()
        app.config["JOB_LOST_AFTER_SECONDS"] = 0
        try:
            result = app.test_cli_runner().invoke(args=["jobs", "reconcile"])
        finally:
            app.config["JOB_LOST_AFTER_SECONDS"] = 60
        assert result.exit_code == 0 and "1 job(s) reconciled" in result.output
        queued = Job.fetch(record.id, connection=redis_connection())
        assert queued.get_status() == "queued" and queued.origin == kinds()[record.name].queue


def test_the_sweeper_finds_the_lost_jobs_of_every_city_and_person(
    app, redis_queue, redis_client, make_user, tenants
):
    # Row-level security shows no job outside its city and person: the sweeper learns them
    # all first (before_scope.unfinished_jobs), then takes up each as its own.
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    other = make_user("k.nowak@kalisz.pl", kalisz="admin")
    with redis_queue():
        lost = [
            _record("audit.export_csv", tenants["leszno"].id, admin.id, filters={}),
            _record("audit.export_csv", tenants["kalisz"].id, other.id, filters={}),
            _record("audit.export_csv", None, other.id, filters={}),  # outside any city
            _record(
                "mail.deliver", None, None, to="h.hendrysiak@echo.org.pl", subject="x", body="y"
            ),
        ]
        redis_client.flushdb()
        app.config["JOB_LOST_AFTER_SECONDS"] = 0
        try:
            assert reconcile() == len(lost)
        finally:
            app.config["JOB_LOST_AFTER_SECONDS"] = 60
        for record in lost:
            assert Job.fetch(record.id, connection=redis_connection()).get_status() == "queued"
            assert factories.job(record.id).status == JobStatus.QUEUED
