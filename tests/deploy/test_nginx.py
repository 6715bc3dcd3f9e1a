"""nginx as deploy/nginx configures it, on loopback, in front of gunicorn: HTTPS on a port
other than 443 keeps forms working, nginx's own error pages are translated, styled and
guarded, and /metrics is not served to the public."""

from __future__ import annotations

import http.cookiejar
import os
import re
import ssl
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.deploy.stack import NGINX, ROOT, nginx_conf, wait_for

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed (scripts/test installs it)"
)


@pytest.fixture
def browser():
    """A browser of sorts: cookies, and the self-signed certificate of the test accepted."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context),
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
    )


@pytest.fixture
def topology(app, databases, tmp_path, browser):
    """nginx on a port of its own (not 443) in front of one gunicorn of the app as in
    production (RAZEM_ENV=production: secure cookies, ProxyFix, strict CSRF on HTTPS)."""
    port, backend_port = free_port(), free_port()
    nginx = subprocess.Popen(
        [NGINX, "-c", str(nginx_conf(tmp_path, port, [backend_port]))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {
        **os.environ,
        "RAZEM_ENV": "production",
        "SECRET_KEY": "a-test-only-production-secret",
        "DATABASE_URL": databases.app_url,
        "STORAGE_ROOT": str(tmp_path / "storage"),
        "RAZEM_INSTANCE_DIR": str(tmp_path),
        "PROXY_FIX": "1",
        "LOG_FORMAT": "text",
    }
    gunicorn = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "app:create_app()"),
            *("--bind", f"127.0.0.1:{backend_port}", "--workers", "1"),
        ],
        cwd=ROOT,
        env=env,
        stdout=open(tmp_path / "gunicorn.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    base = f"https://localhost:{port}"
    try:
        wait_for(f"http://127.0.0.1:{backend_port}/healthz", gunicorn)
        yield base, gunicorn
    finally:
        for process in (gunicorn, nginx):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=15)


def _open(browser, url: str, data: dict | None = None, headers: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        response = browser.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.headers, response.read().decode()


def test_a_form_posts_over_https_on_another_port(topology, browser):
    base, _ = topology
    status, _, page = _open(browser, base + "/login")
    assert status == 200
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

    status, _, page = _open(
        browser,
        base + "/login",
        {"csrf_token": token, "email": "nikt@leszno.pl", "password": "nie-to-hasło"},
        headers={"Referer": base + "/login", "Origin": base},
    )

    # the wrong password is refused by the form, not the whole post by the referrer check
    assert status == 200, page
    assert "Adres e-mail lub hasło są nieprawidłowe." in page


def test_nginx_answers_in_polish_and_english_when_no_gunicorn_does(topology, browser):
    base, gunicorn = topology
    gunicorn.terminate()
    gunicorn.wait(timeout=15)

    for method_data in (None, {"q": "x"}):
        status, headers, page = _open(browser, base + "/leszno/", method_data)
        assert status == 502
        assert '<html lang="pl">' in page and "Serwis jest chwilowo niedostępny." in page
        assert 'lang="en"' in page and "The service is temporarily unavailable." in page
        assert "/static/css/razem.css" in page
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
    status, headers, _ = _open(browser, base + "/static/css/razem.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")


def test_metrics_are_not_served_through_nginx(topology, browser):
    base, _ = topology
    status, _, _ = _open(browser, base + "/metrics")
    assert status == 404
