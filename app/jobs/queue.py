"""enqueue(): the one way to start background work.

The job record carries the tenant and the user of the request that started it; the runner
restores both, so the job sees exactly what that request could see (ORM scoping and RLS).
With no REDIS_URL the job runs in-process, right away, so a first run needs no Redis.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import Any

from flask import current_app, g, has_request_context, request
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

from app import unit_of_work
from app.extensions import db
from app.i18n import N_
from app.jobs.models import JobRecord, JobStatus
from app.tenancy import clock
from app.tenancy.context import current_tenant_id

log = logging.getLogger(__name__)

_registry: dict[str, Callable[..., Any]] = {}
QUEUE_NAME = "razem"


def job(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as a job. It receives its record first, then its arguments."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        _registry[name] = func
        return func

    return register


def registered(name: str) -> Callable[..., Any]:
    return _registry[name]


def redis_connection() -> Redis | None:
    url = current_app.config["REDIS_URL"]
    if not url:
        return None
    if "redis" not in current_app.extensions:
        # A Redis that does not answer costs a request a second, not the client's patience.
        current_app.extensions["redis"] = Redis.from_url(url, socket_connect_timeout=1)
    return current_app.extensions["redis"]


def queue() -> Queue | None:
    connection = redis_connection()
    return Queue(QUEUE_NAME, connection=connection) if connection is not None else None


def enqueue(name: str, **arguments: Any) -> JobRecord:
    if name not in _registry:
        raise KeyError(f"no job named {name!r}")
    record = JobRecord(
        name=name,
        arguments=arguments,
        tenant_id=current_tenant_id(),
        user_id=g.get("actor_id"),
        roles=list(_roles_of_the_door()),
        region_id=g.region.id if "region" in g else None,
    )
    db.session.add(record)
    unit_of_work.flush()
    # The worker reads the record and what the request saved: hand the job over only once
    # they are committed.
    unit_of_work.after_commit(partial(_dispatch, record.id, name))
    return record


def _roles_of_the_door() -> tuple[str, ...]:
    """The roles the view starting the job requires (its @require), kept with the job so
    that its result stays for the eyes that still hold one of them."""
    if not has_request_context() or request.endpoint is None:
        return ()
    view = current_app.view_functions.get(request.endpoint)
    return tuple(getattr(view, "required_roles", ()))


def _dispatch(record_id: str, name: str) -> None:
    rq_queue = queue()
    if rq_queue is None:
        from app.jobs.runner import perform

        # A failure is on the job record for the person to see; it must not fail the
        # request that started the job.
        with suppress(Exception):
            perform(record_id)
        return
    intervals = list(current_app.config["JOB_RETRY_INTERVALS"])
    try:
        rq_queue.enqueue(
            "app.jobs.runner.perform",
            record_id,
            job_id=record_id,
            retry=Retry(max=len(intervals), interval=intervals),
            description=name,
        )
    except RedisError as error:
        log.warning("job %s (%s) could not be queued: %s", record_id, name, error)
        _fail_unqueued(record_id)


UNQUEUED_MESSAGE = N_(
    "The task could not be started: the service that runs background tasks is "
    "unavailable at the moment. Nothing was changed; please try again in a few minutes."
)


def _fail_unqueued(record_id: str) -> None:
    """The queue did not take the job: the person sees that it failed and why, in words of
    their own language (the message is translated when shown), rather than a task waiting
    forever or a server error."""
    record = db.session.get_one(JobRecord, record_id)
    record.status = JobStatus.FAILED.value
    record.error = UNQUEUED_MESSAGE
    record.finished_at = clock.now()
    unit_of_work.commit()


def report_progress(record: JobRecord, percent: int) -> None:
    """Commit progress so a person watching the job page sees it move."""
    record.progress = max(0, min(100, percent))
    unit_of_work.commit()
