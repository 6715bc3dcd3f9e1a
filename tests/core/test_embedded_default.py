"""The first-run path of the README: SQLite, no Redis, demo data, and a real server."""

from __future__ import annotations

import http.cookiejar
import io
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile

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
    """…and serves the region's pages, whose SQL must run on SQLite too."""
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
        _wait_for(_opener(), base + "/healthz")
        opener = _opener()
        landed = _log_in(opener, base, "admin@leszno.demo")
        assert landed.url.endswith("/leszno/")
        assert "Anna Szymańska" in landed.read().decode()

        coordinator = _opener()
        _log_in(coordinator, base, "koordynator@wielkopolska.demo")
        region = coordinator.open(base + "/regions/wielkopolskie/").read().decode()
        project = re.search(r'href="(/regions/wielkopolskie/projects/\d+/)"', region).group(1)
        matrix = coordinator.open(f"{base}{project}adoption").read().decode()
        assert '<th scope="row">Kalisz</th>' in matrix and "uchwalony" in matrix
        benchmark = coordinator.open(base + "/regions/wielkopolskie/benchmark").read().decode()
        assert '<th scope="row">Konin</th>' in benchmark
        reviews = coordinator.open(f"{base}{project}reviews").read().decode()
        evidence = re.search(r'href="([^"]+/evidence)">(zarzadzenie-[^<]+)<', reviews)
        document = coordinator.open(base + evidence.group(1)).read()
        assert evidence.group(2).endswith(".odt") and b"Prezydenta Miasta Kalisza" in _odt_text(
            document
        )

        operator = _opener()
        _log_in(operator, base, "operator@razem.demo")
        compared = operator.open(base + "/platform/regions").read().decode()
        assert "mediany regionów" in compared and re.search(r"z \d+ gmin", compared)

        open_today = _open_today(loaded.stdout)
        assert any(takes_part for _, _, takes_part in open_today), loaded.stdout
        for path, login, takes_part in open_today:
            reader = _opener()
            if login:
                _log_in(reader, base, login)
            page = reader.open(base + path)
            assert page.status == 200, (path, login)
            if takes_part:  # the notice of the open window leads to its form
                assert 'class="button primary"' in page.read().decode(), (path, login)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _open_today(console: str) -> list[tuple[str, str | None, bool]]:
    """The links the console lists under "Open today" (a newcomer clicks them first), each
    with the login it names, for a page not public yet or to take part, and whether it says
    that login takes part."""
    block = console.split("Open today:", 1)[1].split("\n\n", 1)[0]
    links = [
        (
            line.split()[0],
            found.group(1) if (found := re.search(r"log in as (\S+?)\)", line)) else None,
            "to take part, log in as" in line,
        )
        for line in block.strip().splitlines()
    ]
    assert len(links) >= 3, block
    return links


def _odt_text(document: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(document)) as odt:
        return odt.read("content.xml")


def _opener():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _log_in(opener, base: str, email: str):
    login_page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    form = {"csrf_token": token, "email": email, "password": "razem-demo"}
    return opener.open(base + "/login", data=urllib.parse.urlencode(form).encode())


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
