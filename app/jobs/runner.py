"""Runs one job under the tenant and user that started it."""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime

from rq import get_current_job

from app import unit_of_work
from app.extensions import db
from app.i18n import N_
from app.jobs.models import JobRecord, JobStatus
from app.jobs.queue import heartbeat_ttl, registered
from app.tenancy import before_scope
from app.tenancy.context import as_job_owner

log = logging.getLogger(__name__)

FAILURE_MESSAGE = N_(
    "An error on our side stopped this task; it has been recorded for the administrators "
    "and nothing was changed. Please try again in a few minutes; if it fails again, write to "
    "the site's administrators with the name and time of the task."
)


def perform(record_id: str) -> None:
    # The job's city and person are learnt first (the one read before any scope), so that
    # the job is read, run and recorded as theirs: row-level security lets nothing else.
    try:
        scope = before_scope.job_scope(record_id)
        if scope is None:
            log.warning("job %s has no record; skipped", record_id)
            return
        tenant_id, user_id = scope
        with as_job_owner(tenant_id, user_id):
            _run(record_id)
    finally:
        if get_current_job() is not None:
            # Whatever failed, loading the record included (PostgreSQL restarting), the next
            # job of this long-lived worker starts on a fresh session; the connection goes
            # back to the pool, which tests it before handing it out again.
            db.session.remove()


def _run(record_id: str) -> None:
    try:
        record = _start(record_id)
        if record is None:
            return
        registered(record.name)(record, **record.arguments)
        record.status = JobStatus.DONE.value
        record.progress = 100
        record.error = None
        record.finished_at = datetime.now(UTC)
        unit_of_work.commit()
    except Exception as error:
        _record_failure(record_id, error)
        raise


def _start(record_id: str) -> JobRecord | None:
    """Claim the record for this run. The queue delivers a job at least once: a second
    delivery of a finished job, or of one a live worker is running, does nothing."""
    record = db.session.get(JobRecord, record_id, with_for_update={"of": JobRecord})
    if record is None:
        log.warning("job %s has no record; skipped", record_id)
        return None
    now = datetime.now(UTC)
    if record.finished or record.is_being_run(now, heartbeat_ttl()):
        log.warning("job %s (%s) is %s already; skipped", record.id, record.name, record.status)
        unit_of_work.rollback()
        return None
    record.status = JobStatus.RUNNING.value
    record.attempts += 1
    record.progress = 0
    record.started_at = record.heartbeat_at = now
    unit_of_work.commit()
    return record


def _record_failure(record_id: str, error: Exception) -> None:
    """Show the person why the job failed, if the database lets us; never hide the error."""
    try:
        unit_of_work.rollback()
        record = db.session.get(JobRecord, record_id)
        if record is None:
            return
        rq_job = get_current_job()
        will_retry = bool(rq_job and rq_job.retries_left)
        record.status = (JobStatus.RETRYING if will_retry else JobStatus.FAILED).value
        # The person reads what went wrong and what to do, in their language (the view
        # translates the message); the exception is for the log alone.
        record.error = FAILURE_MESSAGE
        if not will_retry:
            record.finished_at = datetime.now(UTC)
        unit_of_work.commit()
        log.error("job %s (%s) failed: %s", record.id, record.name, traceback.format_exc())
    except Exception:
        log.exception("job %s failed and its failure could not be recorded", record_id)
        unit_of_work.rollback()
