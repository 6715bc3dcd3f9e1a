"""Benchmark of a region's adoption matrix and cooperation benchmark, 300 cities × 40 standards.

One region of 300 cities with a standards project of 40 standards (~80% of the cells filled),
each city with this year's and last year's annual programme, proposals, comments, meetings
and active organisations. Served by gunicorn with deploy/gunicorn.conf.py against PostgreSQL
(application role, row-level security on), requested by the region's coordinator (logged
in). Two passes: the figures computed for every request (no cache), then kept in Redis as
deployed (the matrix until a city changes its adoption, the benchmark for a few minutes).
Reports p50/p95/p99 latency, SQL queries per request and p95 against the 150 ms target,
then where the time of one request goes (SQL, template, the rest). Creates and drops its
own database; shares its helpers with bench/directory_bench.py.

    .venv/bin/python bench/regional_bench.py [--requests 200] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from flask import before_render_template, template_rendered
from redis import Redis
from sqlalchemy import event, insert, make_url, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from directory_bench import (  # noqa: E402
    bench_database,
    measure,
    percentile,
    start_gunicorn,
)

from app import create_app  # noqa: E402
from app.accounts.models import RegionalAssignment, User  # noqa: E402
from app.extensions import cache, db  # noqa: E402
from app.meetings.models import Meeting  # noqa: E402
from app.organisations.models import Organisation, Registration, fold  # noqa: E402
from app.programmes.models import Comment, Programme, Proposal  # noqa: E402
from app.regions.models import Adoption, Standard, StandardsProject, ThematicBlock  # noqa: E402
from app.tenancy.models import Region, Tenant  # noqa: E402

CITIES = 300
STANDARDS = 40
BLOCKS = 3
REGION_SLUG = "bench-region"
REGION_TERYT = "98"  # no voivodeship in tenants/regions/ has it
EMAIL = "koordynator@razem-bench.pl"  # the login form refuses special-use domains
PASSWORD = "bench-only-password"
TARGET_MS = 150
PORT = 8766
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
THIS_YEAR = date.today().year
STATUSES = ["not_started", "planned", "in_progress", "adopted", "not_applicable"]
STATUS_WEIGHTS = [15, 15, 20, 40, 10]
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def seed(app) -> tuple[int, int]:
    """Bulk inserts as the owner of the tables; returns (project id, coordinator id)."""
    rng = random.Random(20261122)
    today = date.today()
    with app.app_context():
        region = Region(slug=REGION_SLUG, teryt=REGION_TERYT, names={"pl": "Województwo testowe"})
        db.session.add(region)
        db.session.flush()
        db.session.execute(
            insert(Tenant),
            [
                {
                    "slug": f"bench-gmina-{i:03d}",
                    "names": {"pl": f"Gmina Testowa {i}", "en": f"Test Municipality {i}"},
                    "kind": "gmina",
                    "region_id": region.id,
                    "teryt": f"{REGION_TERYT}{i:05d}",
                    "population": int(5_000 * 160 ** rng.random()),  # 5,000 – 800,000
                    "locale": "pl",
                    "timezone": "Europe/Warsaw",
                    "domains": [],
                    "brand_colour": "#1d4f91",
                }
                for i in range(1, CITIES + 1)
            ],
        )
        tenant_ids = list(
            db.session.scalars(select(Tenant.id).where(Tenant.region_id == region.id))
        )

        project = StandardsProject(
            region_id=region.id,
            title="Region działa razem (benchmark)",
            starts_on=date(THIS_YEAR - 1, 1, 1),
            ends_on=date(THIS_YEAR + 1, 12, 31),
        )
        db.session.add(project)
        db.session.flush()
        db.session.execute(
            insert(ThematicBlock),
            [
                {"project_id": project.id, "number": n, "title": f"Blok tematyczny {n}"}
                for n in range(1, BLOCKS + 1)
            ],
        )
        block_ids = list(
            db.session.scalars(
                select(ThematicBlock.id)
                .where(ThematicBlock.project_id == project.id)
                .order_by(ThematicBlock.number)
            )
        )
        db.session.execute(
            insert(Standard),
            [
                {
                    "block_id": block_ids[i * BLOCKS // STANDARDS],
                    "position": i,
                    "title": f"Standard {i + 1}: współpraca z organizacjami",
                }
                for i in range(STANDARDS)
            ],
        )
        standard_ids = list(db.session.scalars(select(Standard.id).order_by(Standard.id)))
        db.session.execute(
            insert(Adoption),
            [
                {
                    "tenant_id": tenant_id,
                    "standard_id": standard_id,
                    "status": rng.choices(STATUSES, STATUS_WEIGHTS)[0],
                    "review_status": rng.choice(["accepted", "accepted", "pending"]),
                }
                for tenant_id in tenant_ids
                for standard_id in standard_ids
                if rng.random() < 0.8
            ],
        )

        # Organisations: each active (or not) in 2–8 of the region's cities.
        names = [f"Stowarzyszenie Testowe nr {i}" for i in range(1_200)]
        db.session.execute(
            insert(Organisation),
            [{"name": n, "legal_form": "association", "search_name": fold(n)} for n in names],
        )
        org_ids = list(db.session.scalars(select(Organisation.id)))
        registrations, orgs_of = [], {}
        for tenant_id in tenant_ids:
            orgs_of[tenant_id] = rng.sample(org_ids, rng.randint(2, 8))
            for org_id in orgs_of[tenant_id]:
                status = rng.choices(["active", "requested", "archived"], [8, 1, 1])[0]
                registrations.append(
                    {"organisation_id": org_id, "tenant_id": tenant_id, "status": status}
                )
        db.session.execute(insert(Registration), registrations)

        # An annual programme for last year and this year in (almost) every city.
        programmes = []
        for tenant_id in tenant_ids:
            for year in (THIS_YEAR - 1, THIS_YEAR):
                if rng.random() < 0.05:
                    continue  # a city without that year's programme: "no data"
                current = year == THIS_YEAR
                adopted = date(year - 1, 11, 1) + timedelta(days=rng.randint(0, 50))
                report = date(year + 1, 3, 1) + timedelta(days=rng.randint(0, 120))
                programmes.append(
                    {
                        "tenant_id": tenant_id,
                        "kind": "annual",
                        "year_from": year,
                        "year_to": year,
                        "title": f"Roczny program współpracy na {year} rok",
                        "stage": "in_force" if current else rng.choice(["in_force", "reported"]),
                        "resolution_date": adopted,
                        "report_published_on": None if current or rng.random() < 0.2 else report,
                        "budget": Decimal(rng.randint(50_000, 20_000_000)),
                    }
                )
        db.session.execute(insert(Programme), programmes)
        # Through the connection: ORM selects of tenant rows are scoped to the current tenant.
        programme_table = Programme.__table__
        rows = db.session.connection().execute(
            select(programme_table.c.id, programme_table.c.tenant_id)
        )
        proposals, comments = [], []
        for programme_id, tenant_id in rows:
            if rng.random() < 0.5:
                continue
            for _ in range(rng.randint(1, 6)):
                proposals.append(
                    {
                        "tenant_id": tenant_id,
                        "programme_id": programme_id,
                        "organisation_id": rng.choice(orgs_of[tenant_id]),
                        "element": "priority_tasks",
                        "proposed_text": "Dodać zadanie z zakresu pomocy społecznej.",
                        "answer": rng.choice([None, "accepted", "partly_accepted", "rejected"]),
                    }
                )
            for _ in range(rng.randint(0, 10)):
                comments.append(
                    {
                        "tenant_id": tenant_id,
                        "programme_id": programme_id,
                        "element": "goals",
                        "body": "Proponujemy doprecyzować cele szczegółowe.",
                        "answer": rng.choice([None, "Uwzględniono."]),
                    }
                )
        db.session.execute(insert(Proposal), proposals)
        db.session.execute(insert(Comment), comments)

        meetings = []
        for tenant_id in tenant_ids:
            for year in (THIS_YEAR - 1, THIS_YEAR):
                for _ in range(rng.randint(0, 6)):
                    meetings.append(
                        {
                            "tenant_id": tenant_id,
                            "title": "Spotkanie konsultacyjne",
                            "held_on": date(year, 1, 1) + timedelta(days=rng.randint(0, 364)),
                            "status": rng.choice(["published", "published", "draft"]),
                        }
                    )
        db.session.execute(insert(Meeting), meetings)

        user = User(email=EMAIL, name="Koordynator Testowy")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        db.session.add(RegionalAssignment(user_id=user.id, region_id=region.id))
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(
            f"seeded {CITIES} cities × {STANDARDS} standards: {len(registrations)} "
            f"registrations, {len(programmes)} programmes, {len(proposals)} proposals, "
            f"{len(comments)} comments, {len(meetings)} meetings (today {today})"
        )
        return project.id, user.id


def endpoints(project_id: int) -> dict[str, str]:
    base = f"/regions/{REGION_SLUG}"
    return {
        "adoption matrix": f"{base}/projects/{project_id}/adoption",
        f"benchmark {THIS_YEAR}": f"{base}/benchmark",
        f"benchmark {THIS_YEAR - 1}": f"{base}/benchmark?year={THIS_YEAR - 1}",
    }


def log_in_test_client(app):
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post(
        "/login", data={"csrf_token": token, "email": EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 302, f"login failed ({response.status_code})"
    return client


def profile(app, paths: dict[str, str], cold: bool, runs: int = 15) -> dict[str, dict[str, float]]:
    """In-process: queries per request and the median ms in SQL, the template and the rest.

    Cold: the kept figures are dropped before each request, so each is computed again."""
    with app.app_context():
        engine = db.engine
    client = log_in_test_client(app)
    clock: dict[str, float] = {}

    def before_sql(*args) -> None:
        clock["sql_started"] = time.perf_counter()

    def after_sql(*args) -> None:
        spent = time.perf_counter() - clock["sql_started"]
        clock["queries"] += 1
        clock["sql"] += spent
        if "render_started" in clock:
            clock["sql_in_template"] += spent

    def before_render(*args, **kwargs) -> None:
        clock["render_started"] = time.perf_counter()

    def rendered(*args, **kwargs) -> None:
        clock["template"] += time.perf_counter() - clock.pop("render_started")

    event.listen(engine, "before_cursor_execute", before_sql)
    event.listen(engine, "after_cursor_execute", after_sql)
    before_render_template.connect(before_render, app)
    template_rendered.connect(rendered, app)
    results = {}
    for label, path in paths.items():
        samples = []
        for _ in range(runs + 2):
            if cold:
                with app.app_context():
                    cache.clear()
            clock.update(queries=0, sql=0.0, sql_in_template=0.0, template=0.0)
            started = time.perf_counter()
            response = client.get(path)
            total = time.perf_counter() - started
            assert response.status_code == 200, (path, response.status_code)
            samples.append({**clock, "total": total, "bytes": len(response.data)})
        samples = samples[2:]  # the first requests warm the caches
        results[label] = {
            key: statistics.median(s[key] for s in samples)
            for key in ("queries", "sql", "sql_in_template", "template", "total", "bytes")
        }
    event.remove(engine, "before_cursor_execute", before_sql)
    event.remove(engine, "after_cursor_execute", after_sql)
    before_render_template.disconnect(before_render, app)
    template_rendered.disconnect(rendered, app)
    return results


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to /login) is an error here, not a page


def session_cookie(headers) -> str:
    cookies = (c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or ())
    return next(c for c in cookies if c.startswith("session="))


def log_in_over_http(base: str) -> None:
    """Log the coordinator in and send the session cookie with every urlopen of measure().

    The production session cookie is Secure, so a cookie jar would not send it over plain
    http; the header is set by hand on the opener urlopen uses.
    """
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(base + "/login", timeout=10) as response:
        cookie = session_cookie(response.headers)
        token = CSRF.search(response.read().decode()).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": EMAIL, "password": PASSWORD})
    request = urllib.request.Request(base + "/login", data=form.encode(), method="POST")
    request.add_header("Cookie", cookie)
    try:
        opener.open(request, timeout=10)
        raise RuntimeError("login over http did not redirect")
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise
        cookie = session_cookie(answer.headers)
    # Keep the User-Agent: "strong" session protection ties the session to it.
    opener.addheaders = [*opener.addheaders, ("Cookie", cookie)]
    urllib.request.install_opener(opener)


def start_server(app_url: str, log, keep_figures: bool, key_prefix: str) -> subprocess.Popen:
    """As deployed: figures kept in Redis; or with nothing kept, computed for every request."""
    env = {
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"{key_prefix}-limits",
        "CACHE_KEY_PREFIX": f"{key_prefix}-cache:",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    if not keep_figures:
        env["CACHE_TYPE"] = "NullCache"
    return start_gunicorn(app_url, PORT, log, **env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    server = None
    with tempfile.TemporaryFile("w+") as log, bench_database() as (app, app_url):
        key_prefix = make_url(app_url).database  # the Redis keys of this run
        try:
            started = time.perf_counter()
            project_id, _ = seed(app)
            print(f"seeded in {time.perf_counter() - started:.1f} s")
            paths = endpoints(project_id)
            measured_app = create_app({"SQLALCHEMY_DATABASE_URI": app_url, "RAZEM_ENV": "testing"})
            profiles = {
                "computed": profile(measured_app, paths, cold=True),
                "kept": profile(measured_app, paths, cold=False),
            }
            print(
                f"\n{'endpoint':<18} {'figures':<9} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} "
                f"{'p99 ms':>8} {'p95/target':>10}"
            )
            for keep_figures in (False, True):
                kind = "kept" if keep_figures else "computed"
                server = start_server(app_url, log, keep_figures, key_prefix)
                base = f"http://127.0.0.1:{PORT}"
                log_in_over_http(base)
                for label, path in paths.items():
                    times = measure(base, path, args.requests, args.concurrency)
                    p95 = percentile(times, 95)
                    print(
                        f"{label:<18} {kind:<9} {profiles[kind][label]['queries']:>7.0f} "
                        f"{statistics.median(times):>8.1f} {p95:>8.1f} "
                        f"{percentile(times, 99):>8.1f} {p95 / TARGET_MS:>10.2f}"
                        f"{'' if p95 < TARGET_MS else '  MISSED'}"
                    )
                server.terminate()
                server.wait(timeout=15)
                server = None
            print(
                f"\n{args.requests} requests each, {args.concurrency} at a time, gunicorn with "
                f"deploy/gunicorn.conf.py on {os.cpu_count()} cores; target: p95 < {TARGET_MS} ms;"
                "\nfigures computed for every request, or kept in Redis until they change"
                " (matrix) or for BENCHMARK_MAX_AGE_SECONDS (benchmark)"
            )
            print(
                "\nwhere one request's time goes (in-process, median of 15, ms):\n"
                f"{'endpoint':<18} {'figures':<9} {'total':>7} {'SQL':>7} {'template':>9} "
                f"{'(its SQL)':>9} {'rest':>7} {'HTML kB':>8}"
            )
            for kind, by_endpoint in profiles.items():
                for label, p in by_endpoint.items():
                    template = p["template"] - p["sql_in_template"]
                    rest = p["total"] - p["sql"] - template
                    print(
                        f"{label:<18} {kind:<9} {p['total'] * 1000:>7.1f} {p['sql'] * 1000:>7.1f} "
                        f"{template * 1000:>9.1f} {p['sql_in_template'] * 1000:>9.1f} "
                        f"{rest * 1000:>7.1f} {p['bytes'] / 1024:>8.0f}"
                    )
        except Exception:
            if server is None:
                raise
            log.flush()
            log.seek(0)
            print("gunicorn's log, last lines:\n" + "".join(log.readlines()[-30:]), file=sys.stderr)
            raise
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=15)
            redis = Redis.from_url(REDIS_URL)
            for key in redis.scan_iter(f"{key_prefix}-*"):
                redis.delete(key)


if __name__ == "__main__":
    main()
