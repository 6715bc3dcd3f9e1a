"""flask worker: an RQ worker inside the application context."""

from __future__ import annotations

import click
from rq import Queue, SimpleWorker

from app.jobs.queue import QUEUE_NAME, redis_connection


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run background jobs from Redis (REDIS_URL)."""
    connection = redis_connection()
    if connection is None:
        raise click.ClickException("REDIS_URL is not set: jobs run in-process, no worker needed.")
    # SimpleWorker runs jobs in this process, which already holds the app context and its
    # connection pool; a forking worker would share pooled connections with its children.
    worker = SimpleWorker([Queue(QUEUE_NAME, connection=connection)], connection=connection)
    worker.work(burst=burst, with_scheduler=True)
