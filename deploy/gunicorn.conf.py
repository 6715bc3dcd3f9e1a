"""Gunicorn settings for Razem.

    gunicorn --config deploy/gunicorn.conf.py 'app:create_app()'

Every value can be overridden from the environment.
"""

import contextlib
import gc
import importlib
import os

from gunicorn.glogging import Logger


def _cpu_count() -> int:
    # sched_getaffinity honours taskset/cpuset limits; cpu_count() reports every core of the host.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Containers usually report the host's cores, not their CPU limit: set WEB_CONCURRENCY there.
workers = _int("WEB_CONCURRENCY", 2 * _cpu_count() + 1)
# One request at a time per worker, accepted only by a worker that is free. gthread workers
# (even with one thread) accept connections while busy and keep each for good: 20 keep-alive
# connections spread unevenly over 5 workers, and a page's p95 was 3-10 times its p50 (API
# meetings: p50 37 ms, p95 260 ms). With sync workers the same pages answer at p95 = 1.2 x p50
# (86 and 100 ms; #17, bench/results/2026-12-01-0425-1-sync.md). nginx buffers requests and
# answers in front of them, so a slow client never holds a worker. More than one thread per
# worker: workers died of SIGSEGV under load (#13, #14).
worker_class = "sync"

timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# Recycle workers now and then to bound slow memory growth. Each worker restarts after
# max_requests plus a random share of up to half as many again: with 1000 ± 100 the
# workers, which share the load evenly, all restarted together (5 s each) and /healthz
# answered nothing for 15 s under load. A restart costs the worker some 2.5 s of CPU: at
# 1,000 requests, with kept public pages served at 400–700 a second, workers restarted
# every few seconds (113 restarts in one pass of the benchmark, #17), while the peak memory
# of a worker stayed at 136–148 MB with recycling as without.
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 2)

# The application itself is not preloaded: every worker opens its own DB pool and Redis
# connections after fork, and `kill -HUP` (systemctl reload) loads new code without
# dropping the listening socket. The libraries it uses do not change between releases of
# Razem (a new version of one needs a restart, not a reload), so the master imports them
# once: a (re)started worker shares them and is ready in about 2.5 s instead of 4.5 s.
# WeasyPrint (it binds Pango and GLib) is left to the job workers, which write the PDFs
# (app/exports/render.py imports it when it writes one), and the metrics (their storage
# depends on the worker's process) to each worker.
preload_app = False
PRELOADED_LIBRARIES = (
    "flask",
    "jinja2",
    "sqlalchemy.orm",
    "psycopg",
    "flask_sqlalchemy",
    "flask_babel",
    "babel",
    "alembic",
    "flask_migrate",
    "flask_smorest",
    "marshmallow",
    "flask_limiter",
    "flask_caching",
    "flask_wtf",
    "flask_login",
    "flask_talisman",
    "redis",
    "rq",
    "requests",
    "lxml.etree",
    "docx",
    "odf.opendocument",
    "tablib",
    "openpyxl",
    "icalendar",
    "stdnum",
    "nh3",
    "markdown_it",
    "argon2",
    "pythonjsonlogger",
)
for _library in PRELOADED_LIBRARIES:
    with contextlib.suppress(ImportError):  # not installed: the worker does without it too
        importlib.import_module(_library)

# The worker heartbeat file is touched constantly; on a disk-backed /tmp (container overlay)
# that can stall workers into timeouts.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")

# Which peers may set X-Forwarded-Proto (gunicorn's wsgi.url_scheme). Client addresses come
# from X-Forwarded-For via the app's ProxyFix (PROXY_FIX=1), which trusts PROXY_COUNT proxies.
# In compose/k8s nginx is another host: use "*" there, and never publish gunicorn's port.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)

proc_name = "razem-web"

# gunicorn >= 25 opens a control socket under $HOME by default, which is read-only or absent
# under systemd hardening and in containers: only open one where asked to.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


def post_worker_init(worker):
    # The application's own objects (modules, the URL map, SQLAlchemy's mappers: some 250,000)
    # live as long as the worker. Frozen, they are no longer walked by every full garbage
    # collection, which otherwise stalls a request now and then by 100–200 ms.
    gc.freeze()
    # A page of a large region allocates some 100,000 objects: collect the young ones ten
    # times less often (the default 700 is tuned for small scripts).
    gc.set_threshold(10_000, 10, 10)


class ProbeQuietLogger(Logger):
    """Drop access-log lines for load-balancer and kubelet probes."""

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") in ("/healthz", "/readyz") and resp.status_code < 400:
            return
        super().access(resp, req, environ, request_time)


logger_class = ProbeQuietLogger
