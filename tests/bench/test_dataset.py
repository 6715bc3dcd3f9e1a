"""The benchmark's data set (bench/dataset.py), built at a tiny scale in a database of its own
as `make bench` builds it, is one the application serves: so that the benchmark cannot rot
unnoticed while the models change. wrk is not run here."""

from __future__ import annotations

from pathlib import Path

from redis import Redis
from sqlalchemy import create_engine, text

from bench.pages import pages, probe
from bench.run import build_into, in_process_app
from bench.stack import database, forget_redis_keys, server_environment
from tests.conftest import ADMIN_URL, REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
SCALE = 0.002


def roles_and_databases(suffix: str) -> set[str]:
    """Roles and databases of the bench run whose names end in `suffix`."""
    admin = create_engine(ADMIN_URL)
    with admin.connect() as connection:
        names = set(
            connection.scalars(
                text(
                    "SELECT rolname FROM pg_roles WHERE rolname LIKE :like "
                    "UNION SELECT datname FROM pg_database WHERE datname LIKE :like"
                ),
                {"like": f"razem_bench%{suffix}"},
            )
        )
    admin.dispose()
    return names


def test_every_page_of_the_benchmark_answers_on_the_data_set_and_nothing_is_left(tmp_path):
    with database(ADMIN_URL) as db:
        suffix = db.name.removeprefix("razem_bench_")
        assert len(roles_and_databases(suffix)) == 3  # the database, its owner, the app's role
        env = server_environment(ROOT, db, REDIS_URL, tmp_path)
        with in_process_app(env, db) as app:
            data = build_into(db, SCALE)
            answers = probe(app, data, pages(data))
        forget_redis_keys(REDIS_URL, db)  # as make bench does at the end

    assert {label: a.status for label, a in answers.items() if a.status != 200} == {}
    assert answers["adoption matrix (coordinator)"].queries > 0
    assert answers["benchmark 5 years (coordinator)"].queries > 0
    assert data.counts["tenants"] == 3
    assert data.counts["organisations"] == 40
    assert data.directory_size >= 15  # half of them in the big city, most of them active
    assert data.counts["standards"] == 40
    assert roles_and_databases(suffix) == set()
    redis = Redis.from_url(REDIS_URL)
    assert list(redis.scan_iter(f"*{db.name}*")) == []  # the limiter's and the cache's keys
    redis.close()
