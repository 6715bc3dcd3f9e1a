"""Point-in-time recovery as deploy/README.md tells it, rehearsed on a cluster of its own:
its settings for postgresql.conf, deploy/postgres/pgbackrest.conf with this test's paths, and
the README's own pgbackrest command lines and query, which take a city back from a mistaken
offboarding to the moment before it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess

import pytest
from sqlalchemy import create_engine, select

from app.extensions import db
from app.tenancy.models import Tenant
from tests import factories
from tests.deploy.stack import (
    PG_BIN,
    ROOT,
    Postgres,
    app_on,
    database_env,
    release,
    run_flask,
    until,
)
from tests.tenancy.test_archive import rows_of_city

pytestmark = pytest.mark.skipif(
    not (shutil.which("pgbackrest") and PG_BIN),
    reason="Debian's pgbackrest or PostgreSQL's server is missing (scripts/test installs them)",
)
README = ROOT / "deploy/README.md"
SAVED = "Fundacja przed pomyłką"


def documented_block(marker: str) -> str:
    """The first fenced block of deploy/README.md holding `marker`."""
    blocks = re.findall(r"```[a-z]*\n(.*?)```", README.read_text(), re.S)
    return next(block for block in blocks if marker in block)


def documented_pgbackrest() -> dict[str, list[str]]:
    """The README's pgbackrest command lines by their last word (the command), without the
    comments and the `sudo -u postgres` that runs them as the cluster's owner."""
    commands = {}
    for line in documented_lines("stanza-create", "sudo -u postgres pgbackrest"):
        words = shlex.split(line, comments=True)
        commands[words[-1]] = words[4:]
    return commands


def documented_lines(marker: str, command: str) -> list[str]:
    """The lines of a README block that run `command`, each continued line joined."""
    block = documented_block(marker).replace("\\\n", " ")
    return [line for line in block.splitlines() if line.startswith(command)]


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is no longer in the file the test rewrites"
    return text.replace(old, new)


def pgbackrest_conf(server: Postgres) -> str:
    """deploy/postgres/pgbackrest.conf with the repository, logs and cluster of this test."""
    conf = (ROOT / "deploy/postgres/pgbackrest.conf").read_text()
    conf = replaced(conf, "repo1-path=/var/lib/pgbackrest", f"repo1-path={server.folder}/repo")
    conf = replaced(conf, "pg1-path=/var/lib/postgresql/15/main", f"pg1-path={server.data}")
    conf = replaced(
        conf, "[global]\n", f"[global]\nlog-path={server.folder}\nlock-path={server.folder}\n"
    )
    return conf + f"pg1-port={server.port}\npg1-socket-path={server.folder}\n"


def pgbackrest(arguments: list[str]) -> None:
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    finished = subprocess.run(
        [*as_postgres, "pgbackrest", *arguments], capture_output=True, text=True, timeout=120
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr


@pytest.fixture
def archived(monkeypatch):
    """A migrated Razem database whose write-ahead log pgBackRest archives."""
    server = Postgres()
    try:
        config = server.folder / "pgbackrest.conf"
        config.write_text(pgbackrest_conf(server))
        # The archive_command and the restore_command find this test's configuration.
        monkeypatch.setenv("PGBACKREST_CONFIG", str(config))
        with (server.data / "postgresql.conf").open("a") as settings:
            settings.write(documented_block("archive_command = "))
        server.stop()
        server.start()
        env = {
            **os.environ,
            **database_env(server),
            "RAZEM_ENV": "testing",
            "STORAGE_ROOT": str(server.folder / "storage"),
            "RAZEM_INSTANCE_DIR": str(server.folder),
        }
        release(env)
        yield server, env
    finally:
        server.remove()


def test_a_mistaken_offboarding_is_undone_by_recovering_to_the_moment_before(archived):
    server, env = archived
    commands = documented_pgbackrest()
    for command in ("stanza-create", "check", "backup"):
        pgbackrest(commands[command])

    application = app_on(env["DATABASE_URL"], server.folder / "storage")
    with application.app_context():
        leszno = db.session.scalar(select(Tenant).filter_by(slug="leszno"))
        factories.registration(leszno, factories.organisation(SAVED))
        leszno_id = leszno.id
        db.engine.dispose()
    owner = create_engine(env["MIGRATION_DATABASE_URL"])
    rows = rows_of_city(owner, leszno_id)
    owner.dispose()

    run_flask(env, "tenants", "offboard", "leszno")
    assert server.psql("SELECT count(*) FROM tenants WHERE slug = 'leszno'", "razem") == "0"
    # The moment the README says to go back to: when the offboarding began, from its record.
    [query] = documented_lines("FROM operator_log", "psql")
    moment = subprocess.run(
        ["bash", "-c", query], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()

    server.stop()
    restore = commands["restore"]
    target = next(n for n, word in enumerate(restore) if word.startswith("--target="))
    pgbackrest([*restore[:target], f"--target={moment}", *restore[target + 1 :]])
    server.start()
    until(lambda: server.psql("SELECT pg_is_in_recovery()") == "f", 60, "recovery promoted")

    owner = create_engine(env["MIGRATION_DATABASE_URL"])
    assert rows_of_city(owner, leszno_id) == rows
    owner.dispose()
    with application.app_context():
        page = application.test_client().get("/leszno/organisations", query_string={"q": SAVED})
        db.engine.dispose()
    assert page.status_code == 200 and SAVED in page.text
