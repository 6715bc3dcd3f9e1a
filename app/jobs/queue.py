"""enqueue(): the one way to start background work.

The job record carries the tenant and the user of the request that started it; the runner
restores both, so the job sees exactly what that request could see (ORM scoping and RLS).
With no REDIS_URL the job runs in-process, right away, so a first run needs no Redis.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext, suppress
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from flask import current_app, g, has_request_context, request
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry, get_current_job
from sqlalchemy import text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.attributes import set_committed_value

from app import unit_of_work
from app.extensions import db
from app.i18n import N_
from app.jobs.models import JobRecord, JobStatus
from app.tenancy import before_scope, clock, rls
from app.tenancy.context import as_job_owner, as_system, current_tenant_id

log = logging.getLogger(__name__)

# The queues, in the order a worker takes jobs from them: a password reset does not wait
# behind a city's import. "razem" is the queue of old, so jobs queued before an upgrade run.
MAIL_QUEUE, DEFAULT_QUEUE, BULK_QUEUE = "razem-mail", "razem", "razem-bulk"
QUEUES = (MAIL_QUEUE, DEFAULT_QUEUE, BULK_QUEUE)


@dataclass(frozen=True)
class JobKind:
    run: Callable[..., Any]
    queue: str
    # Seconds a run may take before RQ stops it (RQ's own default is 180).
    timeout: int


_registry: dict[str, JobKind] = {}


def job(
    name: str, *, queue: str = DEFAULT_QUEUE, timeout: int = 600
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as a job. It receives its record first, then its arguments."""
    assert queue in QUEUES, queue

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        _registry[name] = JobKind(func, queue, timeout)
        return func

    return register


def registered(name: str) -> Callable[..., Any]:
    return _registry[name].run


def kinds() -> dict[str, JobKind]:
    return dict(_registry)


def redis_connection() -> Redis | None:
    url = current_app.config["REDIS_URL"]
    if not url:
        return None
    if "redis" not in current_app.extensions:
        # A Redis that does not answer costs a request a second, not the client's patience.
        current_app.extensions["redis"] = Redis.from_url(url, socket_connect_timeout=1)
    return current_app.extensions["redis"]


def queue_for(name: str) -> Queue | None:
    """The RQ queue that runs the job `name`; None when jobs run in-process."""
    connection = redis_connection()
    if connection is None:
        return None
    return Queue(_registry[name].queue, connection=connection)


def enqueue(name: str, *, delay: timedelta | None = None, **arguments: Any) -> JobRecord:
    """Start the job `name` once the current unit of work is committed; after `delay`, when
    given (a retry that waits: with no Redis nothing waits for it, and a command catches up)."""
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
    # A job of no city and no person is the system's: written as the system's, or the
    # request (anonymous, in no city) could not write it — nor ever read it back.
    with as_system() if record.tenant_id is None and record.user_id is None else nullcontext():
        db.session.add(record)
        unit_of_work.flush()
    # The worker reads the record and what the request saved: hand the job over only once
    # they are committed.
    handover = (
        partial(dispatch, record.id, name, delay=delay)
        if delay
        else partial(dispatch, record.id, name)
    )
    unit_of_work.after_commit(handover)
    return record


def _roles_of_the_door() -> tuple[str, ...]:
    """The roles the view starting the job requires (its @require), kept with the job so
    that its result stays for the eyes that still hold one of them."""
    if not has_request_context() or request.endpoint is None:
        return ()
    view = current_app.view_functions.get(request.endpoint)
    return tuple(getattr(view, "required_roles", ()))


def dispatch(
    record_id: str, name: str, attempts_made: int = 0, delay: timedelta | None = None
) -> None:
    """Hand the job to the queue (or run it here without Redis). A job taken up again after
    it was lost (reconcile.py) keeps only the retries its earlier runs left."""
    rq_queue = queue_for(name)
    if rq_queue is None and delay:
        log.info("job %s (%s) waits for a worker: no queue runs it later here", record_id, name)
        return
    if rq_queue is None:
        from app.jobs.runner import perform

        # A failure is on the job record for the person to see; it must not fail the
        # request that started the job.
        with suppress(Exception):
            perform(record_id)
        return
    intervals = list(current_app.config["JOB_RETRY_INTERVALS"])[attempts_made:]
    # a job that waits is kept by RQ's scheduler, which a worker runs (`flask worker`)
    put = rq_queue.enqueue if not delay else partial(rq_queue.enqueue_in, delay)
    try:
        put(
            "app.jobs.runner.perform",
            record_id,
            job_id=record_id,
            job_timeout=_registry[name].timeout,
            retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
            description=name,
        )
    except RedisError as error:
        log.warning("job %s (%s) could not be queued: %s", record_id, name, error)
        _fail_unqueued(record_id)


UNQUEUED_MESSAGE = N_(
    "The task could not be started: the service that runs background tasks is "
    "unavailable at the moment. Nothing was changed; please try again in a few minutes."
)


def runs_allowed() -> int:
    """How many times a job may run: once, and once more per retry interval."""
    return len(current_app.config["JOB_RETRY_INTERVALS"]) + 1


def heartbeat_ttl() -> timedelta:
    """How long after its last heartbeat a running job counts as abandoned by its worker."""
    return timedelta(seconds=3 * current_app.config["JOB_HEARTBEAT_SECONDS"])


def _fail_unqueued(record_id: str) -> None:
    """The queue did not take the job: the person sees that it failed and why, in words of
    their own language (the message is translated when shown), rather than a task waiting
    forever or a server error."""
    tenant_id, user_id = before_scope.job_scope(record_id) or (None, None)
    with as_job_owner(tenant_id, user_id):
        record = db.session.get_one(JobRecord, record_id)
        record.status = JobStatus.FAILED.value
        record.error = UNQUEUED_MESSAGE
        record.finished_at = clock.now()
        unit_of_work.commit()


def report_progress(record: JobRecord, percent: int) -> None:
    """Show a person watching the job page how far it got. Written in a transaction of its
    own: the job's work is committed once, when it is done, so a run that dies leaves
    nothing half done that the next run would take for what was there before it."""
    progress = max(0, min(100, percent))
    set_committed_value(record, "progress", progress)
    if get_current_job() is not None:  # in-process, nobody watches the job run
        write_apart(record.id, progress=progress)


def write_apart(record_id: str, **values: Any) -> None:
    """Update a job's record beside the job's own transaction, never waiting long for it:
    progress and heartbeats are worth less than the job. Written in the current scope,
    which must be the job's (row-level security lets no other write it)."""
    try:
        with db.engine.begin() as connection:
            rls.apply_scope(connection)
            if connection.dialect.name == "postgresql":
                connection.execute(text("SET LOCAL lock_timeout = '2s'"))
            connection.execute(update(JobRecord).where(JobRecord.id == record_id).values(values))
    except SQLAlchemyError as error:
        log.warning("job %s: %s not written: %s", record_id, ", ".join(values), error)
