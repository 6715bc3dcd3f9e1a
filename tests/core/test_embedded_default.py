"""The first-run path of the README: SQLite, no Redis, demo data, and a real server."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from tests.conftest import free_port


def _flask(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_embedded_default_boots_serves_and_logs_in(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(RAZEM_ENV="development", RAZEM_INSTANCE_DIR=str(tmp_path))
    _flask("db", "upgrade", env=env)
    _flask("tenants", "sync", env=env)
    loaded = _flask("demo", "load", env=env)
    assert "admin@leszno.demo" in loaded.stdout and "razem-demo" in loaded.stdout
    assert (tmp_path / "razem.sqlite3").is_file()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        _wait_for(opener, base + "/healthz")
        login_page = opener.open(base + "/login").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        form = urllib.parse.urlencode(
            {"csrf_token": token, "email": "admin@leszno.demo", "password": "razem-demo"}
        ).encode()
        landed = opener.open(base + "/login", data=form)
        assert landed.url.endswith("/leszno/")
        assert "Anna Szymańska" in landed.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for(opener, url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            assert opener.open(url).status == 200
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
