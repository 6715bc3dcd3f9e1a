"""Runs one job under the tenant and user that started it."""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime

from rq import get_current_job

from app import unit_of_work
from app.extensions import db
from app.jobs.models import JobRecord, JobStatus
from app.jobs.queue import registered
from app.tenancy import before_scope
from app.tenancy.context import acting_as, tenant_scope

log = logging.getLogger(__name__)


def perform(record_id: str) -> None:
    # The job's city and person are learnt first (the one read before any scope), so that
    # the job is read, run and recorded as theirs: row-level security lets nothing else.
    scope = before_scope.job_scope(record_id)
    if scope is None:
        log.warning("job %s has no record; skipped", record_id)
        return
    tenant_id, user_id = scope
    try:
        with acting_as(user_id), tenant_scope(tenant_id):
            _run(record_id)
    finally:
        if get_current_job() is not None:
            db.session.remove()  # a long-lived worker starts every job with a fresh session


def _run(record_id: str) -> None:
    record = db.session.get_one(JobRecord, record_id)
    record.status = JobStatus.RUNNING.value
    record.attempts += 1
    record.started_at = datetime.now(UTC)
    unit_of_work.commit()
    try:
        registered(record.name)(record, **record.arguments)
        record.status = JobStatus.DONE.value
        record.progress = 100
        record.error = None
        record.finished_at = datetime.now(UTC)
        unit_of_work.commit()
    except Exception as error:
        unit_of_work.rollback()
        _record_failure(record_id, error)
        raise


def _record_failure(record_id: str, error: Exception) -> None:
    record = db.session.get_one(JobRecord, record_id)
    rq_job = get_current_job()
    will_retry = bool(rq_job and rq_job.retries_left)
    record.status = (JobStatus.RETRYING if will_retry else JobStatus.FAILED).value
    record.error = f"{type(error).__name__}: {error}"
    if not will_retry:
        record.finished_at = datetime.now(UTC)
    unit_of_work.commit()
    log.error("job %s (%s) failed: %s", record.id, record.name, traceback.format_exc())
