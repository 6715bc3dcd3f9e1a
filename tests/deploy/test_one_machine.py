"""The production topology on one machine: gunicorn with deploy/gunicorn.conf.py, two
workers, the real PostgreSQL (application role, RLS) and Redis, and an RQ worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import REDIS_URL, free_port

ROOT = Path(__file__).resolve().parents[2]


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_gunicorn_serves_with_database_and_redis_ready(app, databases, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "RAZEM_ENV": "production",
        "SECRET_KEY": "a-test-only-production-secret",
        "DATABASE_URL": databases.app_url,
        "REDIS_URL": REDIS_URL,
        "STORAGE_ROOT": str(tmp_path),
        "RAZEM_INSTANCE_DIR": str(tmp_path),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy/gunicorn.conf.py"),
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/readyz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        assert status == 200
        assert body["checks"] == {"database": "ok", "storage": "ok", "redis": "ok"}
        _, tenants = _get(f"http://127.0.0.1:{port}/api/v1/tenants?page_size=50")
        assert len(tenants) == len(list((ROOT / "tenants").glob("*.toml")))  # every file synced
    finally:
        server.terminate()
        server.wait(timeout=15)
