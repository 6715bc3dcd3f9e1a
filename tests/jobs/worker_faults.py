"""Faults that happen inside a worker, for tests/jobs: the worker process (`flask worker`)
imports these by name when a test queues them in place of the runner."""

from __future__ import annotations

import os
import signal
import time

from sqlalchemy import text

from app.extensions import db
from app.jobs.runner import perform


def perform_after_the_connection_died(record_id: str) -> None:
    """As after a restart of PostgreSQL: the session holds a connection whose server process
    is gone, so the runner fails while loading its record."""
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with db.engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(50):
            gone = other.execute(
                text("SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            ).scalar_one()
            if gone:
                break
            time.sleep(0.05)
    perform(record_id)


def _wrapping_the_job(wrap) -> None:
    from app.jobs import runner

    registered = runner.registered
    runner.registered = lambda name: wrap(registered(name))


def die_in_the_middle_of_the_first_run(record_id: str) -> None:
    """As a worker killed (OOM, a deploy, a lost machine) while its job runs: no exception,
    no cleanup, the process is gone."""

    def dying(job):
        def run(record, **arguments):
            if record.attempts == 1:
                os.kill(os.getpid(), signal.SIGKILL)
            return job(record, **arguments)

        return run

    _wrapping_the_job(dying)
    perform(record_id)


def die_after_sending_on_the_first_run(record_id: str) -> None:
    """As a worker killed once the mail server accepted the job's e-mail, before the job
    was recorded as done."""

    def dying(job):
        def run(record, **arguments):
            job(record, **arguments)
            if record.attempts == 1:
                os.kill(os.getpid(), signal.SIGKILL)

        return run

    _wrapping_the_job(dying)
    perform(record_id)


def die_after_the_first_progress_of_the_first_run(record_id: str) -> None:
    """As a worker killed in the middle of an import, after it reported some progress."""
    from app.organisations import jobs

    report_progress = jobs.report_progress

    def reporting_then_dying(record, percent):
        report_progress(record, percent)
        if record.attempts == 1:
            os.kill(os.getpid(), signal.SIGKILL)

    jobs.report_progress = reporting_then_dying
    perform(record_id)


def take_a_while(record_id: str) -> None:
    """A job that runs for a few heartbeats."""

    def slow(job):
        def run(record, **arguments):
            time.sleep(3)
            return job(record, **arguments)

        return run

    _wrapping_the_job(slow)
    perform(record_id)
