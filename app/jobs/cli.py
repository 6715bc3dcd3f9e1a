"""flask worker: an RQ worker inside the application context; flask jobs: its upkeep."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from rq import Queue

from app.jobs.queue import QUEUES, redis_connection
from app.jobs.reconcile import reconcile
from app.jobs.worker import Worker

jobs_cli = AppGroup("jobs", help="Background jobs.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run background jobs from Redis (REDIS_URL)."""
    connection = redis_connection()
    if connection is None:
        raise click.ClickException("REDIS_URL is not set: jobs run in-process, no worker needed.")
    # RQ takes from the first queue that has a job: mail, then the rest, then bulk work.
    queues = [Queue(name, connection=connection) for name in QUEUES]
    worker = Worker(queues, connection=connection)
    worker.work(burst=burst, with_scheduler=True)


@jobs_cli.command("reconcile")
def reconcile_command() -> None:
    """Queue again (or fail) the jobs the queue has lost; workers do it every half minute."""
    click.echo(f"{reconcile()} job(s) reconciled")
