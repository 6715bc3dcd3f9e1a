"""Prometheus metrics at /metrics, for the monitoring only: requests by route and status,
their latency, jobs waiting in each queue, failed and stuck jobs, mail sent.

Counters live in each process; with several gunicorn workers set PROMETHEUS_MULTIPROC_DIR
(an empty folder per start, deploy/README.md) and every worker's counts are added up.
Queue figures are read from Redis when scraped, so they are the same whoever answers."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from redis.exceptions import RedisError
from rq import Queue
from rq.registry import FailedJobRegistry, StartedJobRegistry

from app.extensions import limiter

log = logging.getLogger(__name__)
blueprint = Blueprint("metrics", __name__)

# The app's own counters, apart from prometheus_client's default registry (its process
# figures mean nothing summed over workers).
REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "razem_http_requests",
    "HTTP requests answered, by route (the URL rule), method and status.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "razem_http_request_duration_seconds",
    "Time to answer an HTTP request, by route and method.",
    ["route", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
MAIL_SENT = Counter("razem_mail_sent", "E-mails handed to the mail server.", registry=REGISTRY)


class QueueCollector(Collector):
    """The jobs of each of the worker's queues, read when scraped: waiting, running, failed,
    and running longer than JOB_STUCK_AFTER_SECONDS (stuck)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from app.jobs.queue import QUEUES, redis_connection

        up = GaugeMetricFamily("razem_redis_up", "Whether Redis answered the scrape (1) or not.")
        waiting = GaugeMetricFamily("razem_queue_jobs", "Jobs waiting.", labels=["queue"])
        running = GaugeMetricFamily("razem_jobs_running", "Jobs running.", labels=["queue"])
        failed = GaugeMetricFamily("razem_jobs_failed", "Jobs failed for good.", labels=["queue"])
        stuck = GaugeMetricFamily(
            "razem_jobs_stuck", "Jobs running longer than they should.", labels=["queue"]
        )
        with self.app.app_context():
            connection = redis_connection()
            if connection is None:  # jobs run in-process: no queue to report
                return
            stuck_after = self.app.config["JOB_STUCK_AFTER_SECONDS"]
            try:
                # the worker's queues, each reported even while it is empty
                for queue in (Queue(name, connection=connection) for name in QUEUES):
                    started = StartedJobRegistry(queue=queue)
                    waiting.add_metric([queue.name], queue.count)
                    running.add_metric([queue.name], started.count)
                    failed.add_metric([queue.name], FailedJobRegistry(queue=queue).count)
                    stuck.add_metric([queue.name], _running_longer_than(started, stuck_after))
            except RedisError as error:
                log.warning("metrics: Redis unreachable: %s", error)
                up.add_metric([], 0)
                yield up
                return
        up.add_metric([], 1)
        yield from (up, waiting, running, failed, stuck)


def _running_longer_than(started: StartedJobRegistry, seconds: int) -> int:
    now = time.time()
    jobs = started.get_job_ids()
    fetched = started.job_class.fetch_many(jobs, connection=started.connection)
    return sum(
        1
        for job in fetched
        if job is not None and job.started_at and now - job.started_at.timestamp() > seconds
    )


@blueprint.get("/metrics")
@limiter.exempt
def metrics():
    if not _may_read_metrics():
        abort(404)  # as if there were nothing here
    output = generate_latest(_counters()) + generate_latest(current_app.extensions["queues"])
    return Response(output, mimetype=CONTENT_TYPE_LATEST)


def _counters() -> CollectorRegistry:
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    every_worker = CollectorRegistry()
    MultiProcessCollector(every_worker)
    return every_worker


def _may_read_metrics() -> bool:
    token = current_app.config["METRICS_TOKEN"]
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    peer = _socket_peer()
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in current_app.config["METRICS_ALLOWED_NETWORKS"]
    )


def _socket_peer() -> str:
    """The address that opened the connection: never X-Forwarded-For, which whoever reaches
    gunicorn directly may write (ProxyFix keeps the original)."""
    original = request.environ.get("werkzeug.proxy_fix.orig", {})
    return original.get("REMOTE_ADDR") or request.environ.get("REMOTE_ADDR") or ""


def count_request(response: Response) -> Response:
    route = request.url_rule.rule if request.url_rule is not None else "(no route)"
    REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    started = g.get("request_started")
    if started is not None:
        LATENCY.labels(route, request.method).observe(time.perf_counter() - started)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.after_request(count_request)
    queues = CollectorRegistry(auto_describe=False)
    queues.register(QueueCollector(app))
    app.extensions["queues"] = queues
