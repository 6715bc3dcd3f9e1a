"""Benchmark of the NGO directory at the scale issue #3 asks for.

10,000 organisations registered in one city, 200 cities, served by gunicorn with
deploy/gunicorn.conf.py against PostgreSQL (application role, row-level security on).
Reports p50/p95/p99 latency and the number of SQL queries per request for the directory
page, its search and filters, and the API list. Creates and drops its own database.

    .venv/bin/python bench/directory_bench.py [--requests 300] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, insert, make_url, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.organisations.models import (  # noqa: E402
    Organisation,
    OrganisationArea,
    Registration,
    fold,
)
from app.tenancy.models import Region, Tenant  # noqa: E402

ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
APP_ROLE = "razem_bench_app"
CITIES = 200
ORGANISATIONS = 10_000
WORDS = [
    "Przyjaciół",
    "Rozwoju",
    "Seniorów",
    "Młodzieży",
    "Kultury",
    "Sportu",
    "Ekologii",
    "Wolontariatu",
    "Dziedzictwa",
    "Zdrowia",
    "Edukacji",
    "Sąsiedzka",
    "Źródło",
    "Pomocy",
    "Rodzin",
    "Muzyki",
    "Teatru",
    "Historii",
    "Turystyki",
    "Nauki",
]
FORMS = [
    "association",
    "foundation",
    "association",
    "ordinary_association",
    "social_cooperative",
    "student_sports_club",
]
ENDPOINTS = {
    "directory page": "/bench-001/organisations",
    "directory search": "/bench-001/organisations?q=fundacja+mlodziezy",
    "directory filters, page 40": "/bench-001/organisations?area=16&legal_form=association&page=40",
    "API list (50 a page)": "/api/v1/tenants/bench-001/organisations?page_size=50&q=stowarzyszenie",
}


def seed(app) -> None:
    rng = random.Random(20231113)
    with app.app_context():
        region = Region(slug="bench", teryt="99", names={"pl": "Województwo testowe"})
        db.session.add(region)
        db.session.flush()
        db.session.execute(
            insert(Tenant),
            [
                {
                    "slug": f"bench-{i:03d}",
                    "names": {"pl": f"Miasto {i}"},
                    "kind": "city",
                    "region_id": region.id,
                    "teryt": f"99{i:05d}",
                    "population": 50_000 + i,
                    "locale": "pl",
                    "timezone": "Europe/Warsaw",
                    "domains": [],
                    "brand_colour": "#1d4f91",
                }
                for i in range(1, CITIES + 1)
            ],
        )
        tenant_ids = list(db.session.scalars(db.select(Tenant.id).order_by(Tenant.slug)))
        organisations = []
        for i in range(ORGANISATIONS):
            kind = rng.choice(["Stowarzyszenie", "Fundacja", "Klub", "Towarzystwo"])
            name = f"{kind} {rng.choice(WORDS)} {rng.choice(WORDS)} nr {i}"
            organisations.append(
                {
                    "name": name,
                    "legal_form": rng.choice(FORMS),
                    "search_name": fold(name),
                    "public_benefit": i % 3 == 0,
                }
            )
        db.session.execute(insert(Organisation), organisations)
        ids = list(db.session.scalars(db.select(Organisation.id)))
        db.session.execute(
            insert(OrganisationArea),
            [
                {"organisation_id": org_id, "code": code}
                for org_id in ids
                for code in rng.sample(["10", "13", "15", "16", "17", "18"], 2)
            ],
        )
        registrations = [
            {"organisation_id": org_id, "tenant_id": tenant_ids[0], "status": "active"}
            for org_id in ids
        ]
        for org_id in rng.sample(ids, 3_000):  # some are active in other cities too
            for tenant_id in rng.sample(tenant_ids[1:], 3):
                registrations.append(
                    {"organisation_id": org_id, "tenant_id": tenant_id, "status": "active"}
                )
        db.session.execute(insert(Registration), registrations)
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def queries_per_request(app) -> dict[str, int]:
    counts = {}
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    statements: list[str] = []

    def listener(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    for label, path in ENDPOINTS.items():
        statements.clear()
        assert client.get(path).status_code == 200, path
        counts[label] = len(statements)
    event.remove(engine, "before_cursor_execute", listener)
    return counts


def measure(base: str, path: str, requests: int, concurrency: int) -> list[float]:
    def one(_):
        started = time.perf_counter()
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()
        return (time.perf_counter() - started) * 1000

    for _ in range(20):  # warm the workers and the database's caches
        one(None)
    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(requests)))


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share) - 1]


@contextmanager
def bench_database() -> Iterator[tuple[Flask, str]]:
    """A new database with every migration: yields an app connected as the tables' owner
    (for seeding) and the URL of the application role; dropped afterwards."""
    name = f"razem_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        if not connection.scalar(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}
        ):
            connection.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
    owner_url = make_url(ADMIN_URL).set(database=name)
    try:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": owner_url.render_as_string(False),
                "APP_DB_ROLE": APP_ROLE,
                "RAZEM_ENV": "testing",
            }
        )
        with app.app_context():
            upgrade()
        yield app, owner_url.set(username=APP_ROLE).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def start_gunicorn(app_url: str, port: int, log=subprocess.DEVNULL, **env: str) -> subprocess.Popen:
    """gunicorn with deploy/gunicorn.conf.py as in production, once it answers /healthz;
    `env` adds to or overrides its environment (without REDIS_URL: no Redis)."""
    environment = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "RAZEM_ENV": "production",
        "SECRET_KEY": "bench-only-secret",
        "DATABASE_URL": app_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        **env,
    }
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn"),
            *("-c", str(ROOT / "deploy/gunicorn.conf.py"), "app:create_app()"),
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=log,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    server = None
    with bench_database() as (app, app_url):
        try:
            started = time.perf_counter()
            seed(app)
            print(
                f"seeded {ORGANISATIONS} organisations in 1 of {CITIES} cities "
                f"in {time.perf_counter() - started:.1f} s"
            )
            measured_app = create_app({"SQLALCHEMY_DATABASE_URI": app_url, "RAZEM_ENV": "testing"})
            counts = queries_per_request(measured_app)

            port = 8765
            server = start_gunicorn(app_url, port)
            base = f"http://127.0.0.1:{port}"
            print(f"\n{'endpoint':<30} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
            for label, path in ENDPOINTS.items():
                times = measure(base, path, args.requests, args.concurrency)
                print(
                    f"{label:<30} {counts[label]:>7} {statistics.median(times):>8.1f} "
                    f"{percentile(times, 95):>8.1f} {percentile(times, 99):>8.1f}"
                )
            print(
                f"\n{args.requests} requests each, {args.concurrency} at a time, gunicorn with "
                f"deploy/gunicorn.conf.py on {os.cpu_count()} cores; target: p95 < 100 ms"
            )
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=15)


if __name__ == "__main__":
    main()
