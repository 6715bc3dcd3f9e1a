"""The RQ worker of `flask worker`: jobs run in this process, with heartbeats and sweeps.

RQ's SimpleWorker runs a job in the worker's own process, which holds the application
context and its connection pool (a forking worker would share pooled connections with its
children). But it renews a job's place in RQ's StartedJobRegistry only when the job starts,
for the job's whole timeout plus a minute: a worker killed in the middle of an import left
its job "running" until that ran out and the next registry cleaning (every ten minutes)
retried it, some 14 minutes later. Here a thread beats every JOB_HEARTBEAT_SECONDS while a
job runs, in Redis (RQ's registry, with a TTL of three beats) and in the job's record; the
registries are cleaned every JOB_RECONCILE_SECONDS, when the job records are reconciled with
the queue too. So a dead worker's job is retried within a minute.

Retries wait in RQ's scheduler, a process each worker starts and only one at a time runs
(a lock per queue). A scheduler killed with its worker held its locks for another minute
(RQ's TTL), and no retry was queued meanwhile: the sweep frees the locks of a scheduler
that has stopped beating, and RQ's maintenance then starts this worker's own.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from rq import SimpleWorker
from rq.job import Job
from rq.queue import Queue
from rq.scheduler import SCHEDULER_KEY_TEMPLATE, RQScheduler
from rq.scripts import release_lock
from rq.utils import utcparse

from app.extensions import db
from app.jobs.queue import write_apart
from app.jobs.reconcile import reconcile
from app.tenancy import before_scope
from app.tenancy.context import as_job_owner

log = logging.getLogger(__name__)

# A scheduler beats every second (RQ's interval) and renews its locks for 61 s each time;
# silent for 10 s, it is gone.
SCHEDULER_SILENT = timedelta(seconds=10)
SCHEDULER_LOCK_TTL = 61


class Worker(SimpleWorker):
    def __init__(self, *args, **kwargs) -> None:
        config = current_app.config
        self.beat_seconds = config["JOB_HEARTBEAT_SECONDS"]
        kwargs.setdefault("maintenance_interval", config["JOB_RECONCILE_SECONDS"])
        # An idle worker waits for a job worker_ttl - 15 s at a time (RQ's default: 405 s)
        # and runs its maintenance only in between: wake as often as it is due.
        kwargs.setdefault("worker_ttl", config["JOB_RECONCILE_SECONDS"] + 15)
        super().__init__(*args, **kwargs)

    def get_heartbeat_ttl(self, job: Job) -> int:
        return 3 * self.beat_seconds

    def execute_job(self, job: Job, queue: Queue) -> None:
        stop = threading.Event()
        beating = threading.Thread(
            target=self._beat,
            args=(job, stop, current_app._get_current_object()),  # type: ignore[attr-defined]
            name="job-heartbeat",
            daemon=True,
        )
        beating.start()
        try:
            super().execute_job(job, queue)
        finally:
            stop.set()
            beating.join()

    def _beat(self, job: Job, stop: threading.Event, app: Flask) -> None:
        scope = None
        while not stop.wait(self.beat_seconds):
            try:
                self.maintain_heartbeats(job)
            except Exception:  # a missed beat is retried; the job goes on
                log.warning("job %s: heartbeat not sent to Redis", job.id, exc_info=True)
            with app.app_context():
                # The record is written as the job's own, in its city and for its person
                # (row-level security), learnt at the first beat the database answers.
                scope = scope or _job_scope(job.id)
                if scope is None:
                    continue
                tenant_id, user_id = scope
                with as_job_owner(tenant_id, user_id):
                    write_apart(job.id, heartbeat_at=datetime.now(UTC))

    def run_maintenance_tasks(self) -> None:
        free_the_locks_of_silent_schedulers(self.connection, self.queue_names())
        super().run_maintenance_tasks()
        try:
            reconcile()
        except Exception:  # the database may be away: sweep again next time
            log.warning("jobs not reconciled", exc_info=True)
            db.session.rollback()
        finally:
            db.session.remove()


def _job_scope(job_id: str) -> tuple[int | None, int | None] | None:
    try:
        return before_scope.job_scope(job_id)
    except Exception:  # the database may be away: the next beat asks again
        log.warning("job %s: heartbeat not written: scope unknown", job_id, exc_info=True)
        return None
    finally:
        db.session.remove()


def free_the_locks_of_silent_schedulers(connection, queue_names: list[str]) -> None:
    for queue_name in queue_names:
        key = RQScheduler.get_locking_key(queue_name)
        holder = connection.get(key)
        if holder is None:
            continue
        holder = holder.decode()
        beat = connection.hget(SCHEDULER_KEY_TEMPLATE % holder, "last_heartbeat")
        if beat is None:
            # The worker takes the lock before its scheduler process writes its first beat.
            silent = connection.ttl(key) < SCHEDULER_LOCK_TTL - SCHEDULER_SILENT.seconds
        else:
            silent = datetime.now(UTC) - utcparse(beat.decode()) > SCHEDULER_SILENT
        if silent and release_lock(connection, key, holder):
            log.warning("scheduler lock of %s freed: its scheduler %s stopped", queue_name, holder)
