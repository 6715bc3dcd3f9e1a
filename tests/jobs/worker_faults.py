"""Faults that happen inside a worker, for tests/jobs: the worker process (`flask worker`)
imports these by name when a test queues them in place of the runner."""

from __future__ import annotations

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
