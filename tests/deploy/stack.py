"""The production topology of deploy/ on loopback, for tests that break it: its own
PostgreSQL cluster (roles from deploy/postgres/init.sql) and Redis (append-only file) on
ports of their own, never the machine's shared ones; nginx with deploy/nginx's snippets in
front of two gunicorns configured by deploy/gunicorn.conf.py; an RQ worker; a mail server.
Every process can be killed and started again."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path

import requests
import urllib3
from flask import Flask

from app import create_app
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
OWNER_PASSWORD = "wlasciciel-testowy"
APP_PASSWORD = "aplikacja-testowa"

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def snippet(name: str) -> str:
    """A snippet of deploy/nginx with the install paths (/srv/razem) pointing at this tree."""
    return (ROOT / "deploy/nginx" / name).read_text().replace("/srv/razem/", f"{ROOT}/")


def nginx_conf(folder: Path, port: int, backend_ports: list[int]) -> Path:
    (folder / "snippets").mkdir()
    for name in ("razem-app.conf", "razem-headers.conf"):
        (folder / "snippets" / name).write_text(snippet(name))
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-keyout", folder / "key.pem", "-out", folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    user = "user root;" if os.geteuid() == 0 else ""
    servers = " ".join(f"server 127.0.0.1:{backend};" for backend in backend_ports)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""
{user}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    include {folder}/snippets/razem-headers.conf;
    upstream razem_web {{ {servers} }}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate {folder}/cert.pem;
        ssl_certificate_key {folder}/key.pem;
        include {folder}/snippets/razem-app.conf;
    }}
}}
"""
    )
    return conf


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            assert process.poll() is None, f"{process.args[0]} stopped"
            assert time.monotonic() < deadline, f"{url} did not answer"
            time.sleep(0.3)


def until(condition, seconds: float, what: str, step: float = 0.2):
    """Wait for condition() to return something true; return it."""
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(step)
    return result


def database_env(postgres: Postgres, database: str = "razem") -> dict[str, str]:
    """The database part of a deployment's environment (deploy/env.example)."""
    return {
        "DATABASE_URL": postgres.url("razem_app", APP_PASSWORD, database),
        "MIGRATION_DATABASE_URL": postgres.url("razem_owner", OWNER_PASSWORD, database),
        "APP_DB_ROLE": "razem_app",
    }


def run_flask(env: dict[str, str], *arguments: str) -> str:
    finished = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def release(env: dict[str, str]) -> None:
    """deploy/README.md's release sequence: migrate as the owner, then sync the tenants."""
    run_flask({**env, "DATABASE_URL": env["MIGRATION_DATABASE_URL"]}, "db", "upgrade")
    run_flask(env, "tenants", "sync")


def app_on(database_url: str, storage: Path, redis_url: str | None = None) -> Flask:
    """The app in this process, on a deployment's database (as the app role: RLS holds)."""
    return create_app(
        {
            "RAZEM_ENV": "testing",
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": redis_url,
            "STORAGE_ROOT": storage,
            "CACHE_TYPE": "SimpleCache",
            "RATELIMIT_STORAGE_URI": "memory://",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        }
    )


class Postgres:
    """A cluster of its own, run as the `postgres` account when the tests run as root; with
    a database prepared as deploy/postgres/init.sql says unless `database` is None."""

    def __init__(self, database: str | None = "razem") -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="razem-pg-"))
        self.port = free_port()
        self.data = self.folder / "data"
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self._as_postgres(
            PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8"
        )
        self.start()
        if database:
            self.create_database(database)

    def create_database(self, name: str) -> None:
        """A database as deploy/postgres/init.sql prepares one (its roles, owner, grants)."""
        self.psql(f"CREATE DATABASE {name}")
        subprocess.run(
            [PG_BIN / "psql", *self._connect(name), "-v", "ON_ERROR_STOP=1", "-q"],
            stdin=(ROOT / "deploy/postgres/init.sql").open(),
            env={
                **os.environ,
                "RAZEM_OWNER_PASSWORD": OWNER_PASSWORD,
                "RAZEM_APP_PASSWORD": APP_PASSWORD,
            },
            check=True,
            capture_output=True,
        )

    def url(self, role: str, password: str, database: str = "razem") -> str:
        return f"postgresql+psycopg://{role}:{password}@127.0.0.1:{self.port}/{database}"

    @property
    def superuser_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _connect(self, database: str) -> list:
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database]

    def _as_postgres(self, *command) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *map(str, command)], check=True, capture_output=True)

    def psql(self, sql: str, database: str = "postgres") -> str:
        return subprocess.run(
            [PG_BIN / "psql", *self._connect(database), "-At", "-c", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.folder / "log", "-w",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    """Redis with its append-only file on: what it acknowledged survives a kill."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--dir", str(self.folder), "--appendonly", "yes", "--appendfsync", "always"),
                *("--save", ""),
            ],
            stdout=subprocess.DEVNULL,
        )
        until(self._answers, 10, "Redis answers")

    def _answers(self) -> bool:
        ping = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
        )
        return ping.stdout.strip() == "PONG"

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


class Stack:
    def __init__(self, mail_port: int) -> None:
        self.folder = folder = Path(tempfile.mkdtemp(prefix="razem-stack-"))
        self.storage = folder / "storage"
        self.gunicorns: list[subprocess.Popen | None] = [None, None]
        self.nginx: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.redis: Redis | None = None
        self.postgres = Postgres()
        try:
            self._start(mail_port)
        except BaseException:
            self.stop()  # nothing left running after a start that failed half way
            raise

    def _start(self, mail_port: int) -> None:
        folder = self.folder
        self.redis = Redis(folder)
        self.port = free_port()
        self.base = f"https://localhost:{self.port}"
        self.env = {
            **os.environ,
            "RAZEM_ENV": "production",
            "SECRET_KEY": "a-test-only-production-secret",
            **database_env(self.postgres),
            "REDIS_URL": self.redis.url,
            "STORAGE_ROOT": str(self.storage),
            "RAZEM_INSTANCE_DIR": str(folder),
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(mail_port),
            "SITE_URL": self.base,
            "PROXY_FIX": "1",
            "LOG_FORMAT": "text",
            "PASSWORD_RESET_RATE_LIMIT": "100 per hour",
            "GUNICORN_WORKER_TMP_DIR": str(folder),
            # A dead worker's job is taken up after three missed beats and a sweep; shorter
            # than deploy's defaults (10 s, 30 s: within a minute) to keep the suite short.
            "JOB_HEARTBEAT_SECONDS": "2",
            "JOB_RECONCILE_SECONDS": "5",
            "JOB_RETRY_INTERVALS": "1,5",
        }
        self.release()
        self.backend_ports = [free_port(), free_port()]
        for number in (0, 1):
            self.start_gunicorn(number)
        self.nginx = self._spawn(
            [NGINX, "-c", str(nginx_conf(folder, self.port, self.backend_ports))], "nginx.log"
        )
        until(self._nginx_answers, 30, "nginx answers")
        self.start_worker()

    def flask(self, *arguments: str, **env: str) -> str:
        return run_flask({**self.env, **env}, *arguments)

    def release(self, **env: str) -> None:
        release({**self.env, **env})

    def another_deployment(self, name: str, without_tenant: str) -> dict[str, str]:
        """The environment of a second deployment on this machine: its own database, files
        and tenants' folder, in which one city is not (yet)."""
        self.postgres.create_database(name)
        tenants = self.folder / f"{name}-tenants"
        shutil.copytree(ROOT / "tenants", tenants)
        (tenants / f"{without_tenant}.toml").unlink()
        env = {
            **database_env(self.postgres, name),
            "STORAGE_ROOT": str(self.folder / f"{name}-storage"),
            "TENANTS_DIR": str(tenants),
        }
        self.release(**env)
        return env

    def _spawn(self, command: list[str], log: str, **env: str) -> subprocess.Popen:
        # A session of its own, so that a kill takes the process with its children
        # (gunicorn's workers, RQ's work horse), as a lost machine or the OOM killer would.
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **env},
            stdout=open(self.folder / log, "a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _nginx_answers(self) -> bool:
        assert self.nginx.poll() is None, "nginx stopped"
        try:
            return self.browser().get(self.base + "/healthz", timeout=5).ok
        except requests.ConnectionError:
            return False

    def start_gunicorn(self, number: int) -> None:
        port = self.backend_ports[number]
        self.gunicorns[number] = process = self._spawn(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "app:create_app()"],
            f"gunicorn-{number}.log",
            GUNICORN_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="2",
        )
        wait_for(f"http://127.0.0.1:{port}/healthz", process)

    def start_worker(self) -> None:
        self.worker = self._spawn(
            [sys.executable, "-m", "flask", "--app", "app", "worker"], "worker.log"
        )

    def stop_worker(self) -> None:
        """As systemd stops it: SIGTERM, and the worker finishes the job in hand."""
        self.worker.terminate()
        self.worker.wait(timeout=60)

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def browser(self) -> requests.Session:
        session = requests.Session()
        session.verify = False
        session.trust_env = False  # else REQUESTS_CA_BUNDLE or a proxy of the machine wins
        session.headers["Referer"] = self.base + "/"
        return session

    def post_form(self, browser: requests.Session, path: str, data: dict) -> requests.Response:
        page = browser.get(self.base + path, timeout=30)
        token = CSRF.search(page.text).group(1)
        return browser.post(
            self.base + path,
            data={"csrf_token": token, **data},
            headers={"Referer": self.base + path, "Origin": self.base},
            allow_redirects=False,
            timeout=30,
        )

    def stop(self) -> None:
        for process in (self.worker, *self.gunicorns, self.nginx):
            if process is not None and process.poll() is None:
                self.kill(process)
        if self.redis is not None and self.redis.process.poll() is None:
            self.redis.kill()
        self.postgres.remove()
        if not os.environ.get("RAZEM_KEEP_STACK"):  # its logs, to look into a failure
            shutil.rmtree(self.folder, ignore_errors=True)
