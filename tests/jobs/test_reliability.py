"""Jobs are at-least-once, their effects exactly-once: a real RQ worker in another process,
against the real PostgreSQL and Redis, meets the faults of a deployment."""

from __future__ import annotations

from flask import g

from app import unit_of_work
from app.extensions import db
from app.jobs import enqueue
from app.jobs.models import JobRecord, JobStatus
from app.jobs.queue import queue_for
from app.tenancy.context import tenant_scope


def _record(name: str, tenant_id: int, user_id: int, **arguments) -> JobRecord:
    record = JobRecord(name=name, arguments=arguments, tenant_id=tenant_id, user_id=user_id)
    db.session.add(record)
    db.session.commit()
    return record


def _queue_through(fault: str, record: JobRecord) -> None:
    """Queue the record's job to run through a fault of tests/jobs/worker_faults.py."""
    queue_for(record.name).enqueue(f"tests.jobs.worker_faults.{fault}", record.id, job_id=record.id)


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
    finished = db.session.get(JobRecord, following.id)
    assert finished.status == JobStatus.DONE, finished.error
    assert finished.attempts == 1
