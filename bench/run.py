"""Issue #17's benchmark: build the regional data set, serve it as deployed, drive each page
with wrk (20 connections) next to the bare /healthz of the same server, and report.

    .venv/bin/python -m bench [--scale 1 --scale 0.1] [--duration 15] [--connections 20]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from bench import report
from bench.dataset import Dataset, build
from bench.load import Load, drive, ensure_wrk
from bench.pages import Page, Probe, pages, probe
from bench.stack import Database, Gunicorn, database, forget_redis_keys, log_in, server_environment

ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
# Whose session the signed-in baseline sends: what every signed-in page pays before its own
# work (the person with their roles and facts, the database scope), with nothing rendered.
SIGNED_IN = "office"


@dataclass
class Row:
    page: Page
    probe: Probe
    load: Load


@dataclass
class Run:
    scale: float
    data: Dataset
    build_seconds: float
    ceiling: Load  # /healthz before the pages
    ceiling_after: Load  # and after them: the machine's other work changes meanwhile
    signed_in: Load  # /healthz with a staff member's session cookie, before the pages
    signed_in_after: Load  # and after them
    rows: list[Row]
    restarts: int
    crashes: int
    workers: int

    @property
    def ceiling_rps(self) -> float:
        return _mean_rps(self.ceiling, self.ceiling_after)

    @property
    def signed_in_rps(self) -> float:
        return _mean_rps(self.signed_in, self.signed_in_after)


def _mean_rps(before: Load, after: Load) -> float:
    return (before.requests_per_second + after.requests_per_second) / 2


def main(argv: list[str] | None = None, app_root: Path | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", help="1 and 0.1 if not given")
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each page")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument(
        "--pages", default="", help="only the pages whose label contains this (several: a|b)"
    )
    parser.add_argument("--results", type=Path, default=Path(__file__).with_name("results"))
    parser.add_argument("--probes", type=Path, help=argparse.SUPPRESS)  # for the comparison
    args = parser.parse_args(argv)
    root = app_root or Path(__file__).resolve().parent.parent
    ensure_wrk()
    signal.signal(signal.SIGTERM, _interrupt)  # clean up as after Ctrl-C
    scales = args.scale or [1.0, 0.1]
    if len(scales) > 1:
        _compare_scales(root, scales, args)
        return
    run = measure(root, scales[0], args)
    _write(args.results, f"{_today()}-{scales[0]:g}.md", report.scale_report(run, _context(root)))
    if args.probes:
        probes = {row.page.label: [row.probe.queries, row.probe.size] for row in run.rows}
        args.probes.write_text(json.dumps(probes))


def _compare_scales(root: Path, scales: list[float], args) -> None:
    """Each scale in a process of its own, as a server starts afresh: a second application
    created in the same process counts one query more on some pages."""
    probes = {}
    with tempfile.TemporaryDirectory(prefix="razem-bench-") as folder:
        for scale in scales:
            file = Path(folder) / f"{scale:g}.json"
            options = ["--duration", args.duration, "--warmup", args.warmup]
            options += ["--connections", args.connections, "--results", args.results]
            options += ["--pages", args.pages, "--scale", scale, "--probes", file]
            # A session of its own: on Ctrl-C this process alone stops it, once, and waits
            # while it takes down what it set up.
            child = subprocess.Popen(
                [sys.executable, "-m", "bench", "--app-root", root, *map(str, options)],
                start_new_session=True,
            )
            try:
                if child.wait() != 0:
                    raise SystemExit(f"the run at scale {scale:g} failed")
            except KeyboardInterrupt:
                child.terminate()
                child.wait()
                raise
            probes[scale] = json.loads(file.read_text())
    _write(args.results, f"{_today()}-scales.md", report.comparison(probes))


def measure(root: Path, scale: float, args) -> Run:
    with ExitStack() as stack:
        db = stack.enter_context(database(ADMIN_URL))
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="razem-bench-")))
        env = server_environment(root, db, REDIS_URL, folder)
        stack.callback(forget_redis_keys, REDIS_URL, db)
        app = stack.enter_context(in_process_app(env, db))
        started = time.perf_counter()
        data = build_into(db, scale)
        build_seconds = time.perf_counter() - started
        print(f"scale {scale:g}: built in {build_seconds:.0f} s: {data.counts}", flush=True)

        wanted = [part for part in args.pages.split("|") if part]
        selected = [p for p in pages(data) if not wanted or any(w in p.label for w in wanted)]
        probes = probe(app, data, selected)
        failing = {label: p.status for label, p in probes.items() if p.status != 200}
        if failing:
            raise RuntimeError(f"pages that do not answer 200: {failing}")

        server = Gunicorn(root, env, folder / "gunicorn.log")
        stack.callback(server.stop)
        headers = _headers(server, data)
        ceiling = _drive(server, "/healthz", {}, args)
        print(f"ceiling /healthz: {ceiling.requests_per_second:.0f} req/s", flush=True)
        _settle(server)
        signed_in = _drive(server, "/healthz", headers[SIGNED_IN], args)
        print(f"signed in /healthz: {signed_in.requests_per_second:.0f} req/s", flush=True)
        rows = []
        for page in selected:
            _settle(server)
            load = _drive(server, page.path, headers[page.who], args)
            rows.append(Row(page, probes[page.label], load))
            print(report.progress(rows[-1], ceiling.requests_per_second), flush=True)
        _settle(server)
        ceiling_after = _drive(server, "/healthz", {}, args)
        _settle(server)
        signed_in_after = _drive(server, "/healthz", headers[SIGNED_IN], args)
        whole_log = server.log_text()
        baselines = (ceiling, ceiling_after, signed_in, signed_in_after)
        return Run(
            scale,
            data,
            build_seconds,
            *baselines,
            rows,
            restarts=whole_log.count("Booting worker") - len(server.workers()),
            crashes=sum(load.crashes for load in [*baselines, *(r.load for r in rows)]),
            workers=len(server.workers()),
        )


def _drive(server: Gunicorn, path: str, headers: dict[str, str], args) -> Load:
    """wrk on one page after a warm-up that is not counted (each worker's first requests load
    its templates and fill the database's caches)."""
    if args.warmup:
        drive(server, path, headers, args.warmup, args.connections)
        _settle(server)
    return drive(server, path, headers, args.duration, args.connections)


@contextmanager
def in_process_app(env: dict, db: Database):
    """The application as the server runs it, in this process: it migrates the database (as
    the owner, granting the application's role) and counts the queries of each page."""
    saved = dict(os.environ)
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"}, LOG_LEVEL="WARNING")
    try:
        # The queries counted are a page's render: with the page cache, a visitor after
        # the first is answered from Redis with one query, whatever the data.
        app = create_app({"MIGRATION_DATABASE_URI": db.owner_url, "PAGE_CACHE": False})
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            from app.extensions import db as sqlalchemy

            sqlalchemy.engine.dispose()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def build_into(db: Database, scale: float) -> Dataset:
    owner = create_engine(db.owner_url)
    try:
        with owner.begin() as connection:
            data = build(connection, scale)
        # As autovacuum leaves a database in service (the machine's may have it off): the
        # statistics, and the visibility map without which an index-only scan reads the
        # table too. PostgreSQL's advice after a bulk load.
        with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
    finally:
        owner.dispose()
    return data


def _headers(server: Gunicorn, data: Dataset) -> dict[str | None, dict[str, str]]:
    headers: dict[str | None, dict[str, str]] = {
        None: {},
        "token": {"Authorization": f"Bearer {data.api_token}"},
    }
    for who in ("office", "ngo", "coordinator"):
        person = getattr(data, who)
        headers[who] = {"Cookie": log_in(server.base, person.email, person.password)}
    return headers


def _settle(server: Gunicorn, seconds: float = 60) -> None:
    """Wait until the workers are idle: requests of the previous page that wrk gave up on
    are not to be counted against the next."""
    deadline = time.monotonic() + seconds
    before = _cpu_ticks(server)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = _cpu_ticks(server)
        if now - before < 5:  # under 0.05 s of CPU in half a second, all workers together
            return
        before = now


def _cpu_ticks(server: Gunicorn) -> int:
    total = 0
    for pid in server.workers():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def _context(root: Path) -> dict[str, str]:
    commit = subprocess.run(
        ["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "commit": commit,
        "cores": str(len(os.sched_getaffinity(0))),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def _write(folder: Path, name: str, markdown: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(markdown)
    print(f"\n{markdown}\n(written to {folder / name})", flush=True)


def _today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d-%H%M")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
