"""Job records reconciled with the queue.

A record says what a person sees; Redis says what will run. They part when Redis restarts
without its data or is flushed (the queued jobs are gone), or when a worker dies while the
queue has no retry left for its job. The sweeper finds the records that wait or run for a
job nobody will run any more, and queues them again within their retries, or marks them
failed in words a person understands. A worker sweeps when it starts and every
JOB_RECONCILE_SECONDS (app/jobs/worker.py); `flask jobs reconcile` sweeps once.

A worker that dies in the middle of a job is RQ's to notice: its job's heartbeat stops, RQ
retries the job when it cleans its registries, and the runner takes it up again.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from functools import partial

from flask import current_app
from redis import Redis
from redis.exceptions import LockError, RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.job import JobStatus as QueueStatus

from app import unit_of_work
from app.extensions import db
from app.i18n import N_
from app.jobs.models import JobRecord, JobStatus
from app.jobs.queue import dispatch, heartbeat_ttl, kinds, redis_connection, runs_allowed
from app.tenancy import before_scope
from app.tenancy.context import as_job_owner

log = logging.getLogger(__name__)

UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING)
# What the queue says of a job it will never run again.
GIVEN_UP = (QueueStatus.FAILED, QueueStatus.STOPPED, QueueStatus.CANCELED)
LOCK_NAME = "razem:jobs:reconcile"


def reconcile() -> int:
    """Queue again or fail every record the queue no longer runs; how many were found."""
    connection = redis_connection()
    if connection is None:  # jobs run in-process: there is no queue to lose them
        return 0
    try:
        # One sweeper at a time, or two workers would queue the same lost job twice.
        lock = connection.lock(LOCK_NAME, timeout=60, blocking=False)
        if not lock.acquire():
            return 0
    except RedisError as error:
        log.warning("jobs not reconciled: Redis unreachable: %s", error)
        return 0
    try:
        return _sweep(connection)
    finally:
        with suppress(LockError):  # held past its timeout: another sweeper may have it now
            lock.release()


def _sweep(connection: Redis) -> int:
    now = datetime.now(UTC)
    lost_after = timedelta(seconds=current_app.config["JOB_LOST_AFTER_SECONDS"])
    # Every city's and person's unfinished jobs are found before any scope (row-level
    # security shows none of them outside it); each is then read and changed as its own,
    # in its city and for its person, and committed there.
    found = 0
    for record_id, tenant_id, user_id in before_scope.unfinished_jobs(now - lost_after):
        with as_job_owner(tenant_id, user_id):
            found += _reconcile_one(connection, record_id, now)
    return found


def _reconcile_one(connection: Redis, record_id: str, now: datetime) -> int:
    """1 if the job was lost and is now queued again or failed, else 0."""
    record = db.session.get(JobRecord, record_id)
    if (
        record is None
        or record.status not in UNFINISHED
        or record.is_being_run(now, heartbeat_ttl())
    ):
        unit_of_work.rollback()
        return 0
    state = _queue_status(connection, record.id)
    if state is None:
        _take_up_again(record)
    elif state in GIVEN_UP:
        _give_up(record)
    else:
        unit_of_work.rollback()
        return 0
    unit_of_work.commit()
    return 1


def _queue_status(connection: Redis, job_id: str) -> QueueStatus | None:
    try:
        return Job.fetch(job_id, connection=connection).get_status()
    except NoSuchJobError:
        return None


def _take_up_again(record: JobRecord) -> None:
    if record.attempts >= runs_allowed() or record.name not in kinds():
        _give_up(record)
        return
    log.warning("job %s (%s) was lost by the queue; queued again", record.id, record.name)
    record.status = JobStatus.QUEUED.value
    record.progress = 0
    unit_of_work.after_commit(partial(dispatch, record.id, record.name, record.attempts))


INTERRUPTED_MESSAGE = N_(
    "The task was interrupted: the service that runs background tasks stopped while "
    "it waited or ran, too many times. Please start it again."
)


def _give_up(record: JobRecord) -> None:
    log.warning("job %s (%s) was interrupted too often; failed", record.id, record.name)
    record.status = JobStatus.FAILED.value
    record.error = INTERRUPTED_MESSAGE  # translated where it is shown
    record.finished_at = datetime.now(UTC)
