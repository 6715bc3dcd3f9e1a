"""Runs one job under the tenant and user that started it."""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime

from flask import g
from rq import get_current_job

from app import unit_of_work
from app.extensions import db
from app.i18n import N_
from app.jobs.models import JobRecord, JobStatus
from app.jobs.queue import registered
from app.tenancy.context import tenant_scope

log = logging.getLogger(__name__)

FAILURE_MESSAGE = N_(
    "An error on our side stopped this task; it has been recorded for the administrators "
    "and nothing was changed. Please try again in a few minutes; if it fails again, write to "
    "the site's administrators with the name and time of the task."
)


def perform(record_id: str) -> None:
    record = db.session.get(JobRecord, record_id)
    if record is None:
        log.warning("job %s has no record; skipped", record_id)
        return
    record.status = JobStatus.RUNNING.value
    record.attempts += 1
    record.started_at = datetime.now(UTC)
    unit_of_work.commit()
    previous_actor = g.get("actor_id")
    g.actor_id = record.user_id
    try:
        with tenant_scope(record.tenant_id):
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
    finally:
        g.actor_id = previous_actor
        if get_current_job() is not None:
            db.session.remove()  # a long-lived worker starts every job with a fresh session


def _record_failure(record_id: str, error: Exception) -> None:
    record = db.session.get_one(JobRecord, record_id)
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
