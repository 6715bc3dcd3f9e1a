"""What the benchmark runs against, as deploy/ sets it up, and takes down again whatever
happens: a PostgreSQL database of its own with the roles of deploy/postgres/init.sql (under
names of its own), the migrations, and gunicorn configured by deploy/gunicorn.conf.py on a
port the system picks."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests
from redis import Redis
from sqlalchemy import create_engine, make_url, text

from app.tenancy.rls import REGIONAL_READER

LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+) \((\d+)\)")
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
USER_AGENT = "razem-bench"  # "strong" session protection ties a session to it


@dataclass
class Database:
    name: str
    owner_url: str
    app_url: str
    app_role: str


@contextlib.contextmanager
def database(admin_url: str) -> Iterator[Database]:
    """A new database owned by a role of its own, the application's role without BYPASSRLS;
    both roles (and the regional reader, if this created it) dropped at the end."""
    suffix = uuid.uuid4().hex[:8]
    name, owner, app_role = (
        f"razem_bench_{suffix}",
        f"razem_bench_owner_{suffix}",
        f"razem_bench_app_{suffix}",
    )
    password = uuid.uuid4().hex
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    created: list[str] = []
    try:
        with admin.connect() as connection:
            connection.execute(
                text(
                    f"CREATE ROLE {owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS "
                    f"PASSWORD '{password}'"
                )
            )
            created.append(owner)
            connection.execute(
                text(
                    f"CREATE ROLE {app_role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                    f"NOBYPASSRLS PASSWORD '{password}'"
                )
            )
            created.append(app_role)
            if not connection.scalar(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": REGIONAL_READER}
            ):
                connection.execute(text(f"CREATE ROLE {REGIONAL_READER} NOLOGIN NOBYPASSRLS"))
                created.insert(0, REGIONAL_READER)
            connection.execute(text(f"GRANT {REGIONAL_READER} TO {app_role}"))
            connection.execute(text(f'CREATE DATABASE "{name}" OWNER {owner}'))
        admin_of_bench = make_url(admin_url).set(database=name)
        bench_admin = create_engine(admin_of_bench, isolation_level="AUTOCOMMIT")
        with bench_admin.connect() as connection:  # as deploy/postgres/init.sql
            for statement in (
                f'REVOKE ALL ON DATABASE "{name}" FROM PUBLIC',
                f'GRANT CONNECT, TEMPORARY ON DATABASE "{name}" TO {app_role}',
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                f"GRANT USAGE, CREATE ON SCHEMA public TO {owner}",
                f"GRANT USAGE ON SCHEMA public TO {app_role}",
            ):
                connection.execute(text(statement))
        bench_admin.dispose()
        url = admin_of_bench.set(password=password)
        yield Database(
            name,
            url.set(username=owner).render_as_string(False),
            url.set(username=app_role).render_as_string(False),
            app_role,
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for role in reversed(created):
                try:
                    connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
                except Exception as error:  # the reader, taken into use by another database
                    print(f"left role {role} behind: {error}", file=sys.stderr)
        admin.dispose()


def server_environment(app_root: Path, db: Database, redis_url: str, folder: Path) -> dict:
    """The environment of a production deployment (deploy/env.example) for this run."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "REDIS_"))},
        "RAZEM_ENV": "production",
        "SECRET_KEY": uuid.uuid4().hex,
        "DATABASE_URL": db.app_url,
        "APP_DB_ROLE": db.app_role,
        "REDIS_URL": redis_url,
        "RATELIMIT_KEY_PREFIX": f"{db.name}-limits",
        "CACHE_KEY_PREFIX": f"{db.name}-cache:",
        "STORAGE_ROOT": str(folder / "storage"),
        "RAZEM_INSTANCE_DIR": str(folder),
        "SITE_URL": "http://127.0.0.1",
        "GUNICORN_BIND": "127.0.0.1:0",  # a free port, read back from the log
        "PYTHONPATH": str(app_root),
    }


def forget_redis_keys(redis_url: str, db: Database) -> None:
    """The run's keys: the cache's begin with its prefix, the limiter's put theirs after
    one of flask-limiter's own (LIMITS:LIMITER/)."""
    redis = Redis.from_url(redis_url)
    for key in redis.scan_iter(f"*{db.name}-*"):
        redis.delete(key)
    redis.close()


class Gunicorn:
    """gunicorn as deploy/gunicorn.conf.py configures it, in a session of its own."""

    def __init__(self, app_root: Path, env: dict, log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "app:create_app()"],
            cwd=app_root,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.port = self._our_port()
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        self.base = f"http://127.0.0.1:{self.port}"

    def _our_port(self) -> int:
        """The port from gunicorn's own log line, with the master's pid: our server."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            match = LISTENING.search(self.log_text())
            if match and int(match.group(2)) == self.process.pid:
                return int(match.group(1))
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start:\n{self.log_text()[-3000:]}")

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5).ok:
                    return
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz")

    def log_text(self, start: int = 0) -> str:
        with self.log.open("rb") as file:
            file.seek(start)
            return file.read().decode(errors="replace")

    def log_size(self) -> int:
        return self.log.stat().st_size

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in path.read_text().split()]
        return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def log_in(base: str, email: str, password: str) -> str:
    """The session cookie of a person logged in through the login form (with its CSRF token).

    The production cookie is Secure, so a client's cookie jar would not send it over plain
    http: it is read from Set-Cookie and sent as a header."""
    browser = requests.Session()
    browser.trust_env = False
    browser.headers["User-Agent"] = USER_AGENT
    page = browser.get(f"{base}/login", timeout=30)
    cookie = _session_cookie(page)
    answer = browser.post(
        f"{base}/login",
        data={"csrf_token": CSRF.search(page.text).group(1), "email": email, "password": password},
        headers={"Cookie": cookie, "Referer": f"{base}/login"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"{email} could not log in ({answer.status_code})")
    cookie = _session_cookie(answer)
    # A page with a form, as a browser's first after logging in: the session it keeps from
    # then on holds the person's CSRF token, which wrk, sending the same cookie each time,
    # would otherwise make anew (and sign into a new cookie) on every request it sends.
    account = browser.get(f"{base}/account", headers={"Cookie": cookie}, timeout=30)
    return _session_cookie(account, default=cookie)


def _session_cookie(response: requests.Response, default: str | None = None) -> str:
    cookies = response.raw.headers.getlist("Set-Cookie")
    found = next((c.split(";", 1)[0] for c in cookies if c.startswith("session=")), default)
    if found is None:
        raise RuntimeError(f"no session cookie from {response.url}")
    return found
