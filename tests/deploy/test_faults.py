"""deploy/'s topology on one machine meets the faults of a real deployment, through nginx:
processes killed, Redis and PostgreSQL restarted, a backup restored (tests/deploy/stack.py
starts it all on ports of its own). The tests run in order on one stack, each leaving it
whole for the next."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from flask import g
from sqlalchemy import create_engine, text

from app import unit_of_work
from app.accounts.models import Membership, User
from app.extensions import db
from app.jobs import enqueue
from app.storage import storage
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant
from tests.conftest import PASSWORD, Mailbox, free_port
from tests.deploy.stack import (
    NGINX,
    PG_BIN,
    ROOT,
    Postgres,
    Stack,
    app_on,
    database_env,
    until,
)
from tests.tenancy.test_archive import files_of, rows_of_city

pytestmark = [
    pytest.mark.skipif(
        not (Path(NGINX).exists() and PG_BIN), reason="nginx or PostgreSQL's server is missing"
    ),
    pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning"),
]
ADMIN = "a.szymanska@leszno.pl"
IMPORTED = 3000


class MailServer(Mailbox):
    """The mail peer, which can kill the worker once it has taken a message in."""

    after_accepting = None

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if self.after_accepting is not None:
            # The message is kept, and the worker dies before it reads the 250: the worst
            # moment, when the sender cannot know whether the message went.
            self.after_accepting()
            self.after_accepting = None
        return answer

    def to(self, address: str) -> list:
        return [message for message in self.messages if message["To"] == address]


@pytest.fixture(scope="module")
def mail():
    server = MailServer()
    server.port = free_port()  # type: ignore[attr-defined]
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    controller.stop()


@pytest.fixture(scope="module")
def stack(mail):
    started = Stack(mail.port)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def office(stack):
    """The app in this process, on the stack's database and Redis, as the city's office."""
    application = app_on(stack.env["DATABASE_URL"], stack.storage, stack.redis.url)
    with application.app_context():
        leszno = db.session.scalar(db.select(Tenant).filter_by(slug="leszno"))
        for email in (ADMIN, "b.grygier@leszno.pl", "m.kaczmarek@leszno.pl", "j.nowak@leszno.pl"):
            user = User(email=email, name="Anna Szymańska")
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            with tenant_scope(leszno.id):
                db.session.add(Membership(user=user, tenant_id=leszno.id, role="admin"))
                db.session.commit()
        city = (application, leszno.id, user_id(ADMIN))
    yield city
    with application.app_context():
        db.engine.dispose()


def user_id(email: str) -> int:
    return db.session.scalar(db.select(User.id).filter_by(email=email))


@pytest.fixture(scope="module")
def owner(stack):
    engine = create_engine(stack.env["MIGRATION_DATABASE_URL"], pool_pre_ping=True)
    yield engine
    engine.dispose()


def job(owner, job_id: str) -> dict:
    with owner.connect() as connection:
        row = connection.execute(
            text("SELECT status, progress, attempts, summary, error FROM jobs WHERE id = :id"),
            {"id": job_id},
        )
        return row.mappings().one()


def rows_of_every_table(owner) -> dict[str, int]:
    with owner.connect() as connection:
        tables = connection.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).all()
        return {t: connection.scalar(text(f'SELECT count(*) FROM "{t}"')) for t in tables}


def files_under(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def ask_for_a_password_reset(stack, email: str) -> None:
    answer = stack.post_form(stack.browser(), "/password/forgot", {"email": email})
    assert answer.status_code == 302, answer.text[:500]


def test_a_gunicorn_killed_under_load_loses_no_request(stack):
    # Its master is killed (SIGKILL): its workers finish the requests they hold and leave,
    # and nginx sends the others to the second gunicorn. (A worker killed in the middle of
    # writing a response cuts that one response: nginx cannot take back what it has begun
    # to send. Seen once in 403 requests with the whole group killed.)
    answers: list[int | str] = []
    stop = threading.Event()

    def visitor():
        browser = stack.browser()
        while not stop.is_set():
            try:
                answers.append(browser.get(stack.base + "/leszno/", timeout=30).status_code)
            except requests.RequestException as error:
                answers.append(type(error).__name__)

    visitors = [threading.Thread(target=visitor) for _ in range(4)]
    for thread in visitors:
        thread.start()
    try:
        until(lambda: len(answers) > 20, 120, "the first requests")
        master = stack.gunicorns[0]
        os.kill(master.pid, signal.SIGKILL)
        master.wait()
        served_before_the_kill = len(answers)
        until(lambda: len(answers) > served_before_the_kill + 40, 120, "requests after the kill")
    finally:
        stop.set()
        for thread in visitors:
            thread.join()

    assert {status: answers.count(status) for status in set(answers)} == {200: len(answers)}
    stack.kill(master)  # its workers, should one still be there
    stack.start_gunicorn(0)


def test_a_worker_killed_in_the_middle_of_an_import_finishes_it_once_within_a_minute(
    stack, office, owner
):
    application, leszno, admin = office
    names = "\n".join(f"Stowarzyszenie Przyjaciół Leszna nr {n}" for n in range(IMPORTED))
    with application.app_context(), tenant_scope(leszno):
        key = storage().save(leszno, "rejestr.csv", f"Nazwa\n{names}\n".encode())
        g.actor_id = admin
        record = enqueue(
            "organisations.import", storage_key=key, filename="rejestr.csv", mapping={"name": 0}
        )
        unit_of_work.commit()
        import_id = record.id

    until(lambda: job(owner, import_id)["progress"] > 0, 60, "the import under way", step=0.05)
    stack.kill(stack.worker)
    killed_at = time.monotonic()
    killed = job(owner, import_id)
    assert killed["status"] == "running" and killed["progress"] < 100
    stack.start_worker()

    finished = until(
        lambda: (state := job(owner, import_id))["status"] in ("done", "failed") and state,
        60,
        "the import finished again",
    )
    assert time.monotonic() - killed_at < 60
    assert (finished["status"], finished["attempts"]) == ("done", 2), finished["error"]
    assert finished["summary"] == {"new": IMPORTED, "link": 0, "unchanged": 0, "error": 0}
    with owner.connect() as connection:
        registered = connection.scalar(
            text("SELECT count(*) FROM registrations WHERE tenant_id = :t"), {"t": leszno}
        )
    assert registered == IMPORTED


def test_a_worker_killed_after_the_mail_server_accepted_a_mail_sends_it_once(stack, mail, owner):
    mail.after_accepting = lambda: stack.kill(stack.worker)
    ask_for_a_password_reset(stack, ADMIN)
    until(lambda: mail.to(ADMIN), 30, "the mail accepted")
    until(lambda: stack.worker.poll() is not None, 10, "the worker killed")
    stack.start_worker()

    with owner.connect() as connection:
        last_mail = connection.scalar(
            text("SELECT id FROM jobs WHERE name = 'mail.deliver' ORDER BY created_at DESC")
        )
    finished = until(
        lambda: (state := job(owner, last_mail))["status"] in ("done", "failed") and state,
        60,
        "the mail's job finished again",
    )
    assert (finished["status"], finished["attempts"]) == ("done", 2), finished["error"]
    assert len(mail.to(ADMIN)) == 1


def test_redis_restarted_loses_no_queued_job_and_login_works_while_it_is_down(stack, mail):
    mail.clear()
    stack.stop_worker()
    waiting = ("b.grygier@leszno.pl", "m.kaczmarek@leszno.pl", "j.nowak@leszno.pl")
    for email in waiting:
        ask_for_a_password_reset(stack, email)

    stack.redis.kill()
    browser = stack.browser()
    login = stack.post_form(browser, "/login", {"email": ADMIN, "password": PASSWORD})
    assert login.status_code == 302
    assert browser.get(stack.base + "/account", timeout=30).status_code == 200

    stack.redis.start()
    stack.start_worker()
    until(lambda: all(mail.to(email) for email in waiting), 60, "the queued mails sent")
    time.sleep(2)
    assert sorted(message["To"] for message in mail.messages) == sorted(waiting)


def test_postgresql_restarted_answers_503_meanwhile_and_recovers_by_itself(stack, mail):
    mail.clear()
    browser = stack.browser()
    stack.postgres.stop()
    try:
        page = browser.get(stack.base + "/leszno/", timeout=30)
        api = browser.get(stack.base + "/api/v1/tenants", timeout=30)
    finally:
        stack.postgres.start()

    assert page.status_code == 503 and page.headers["Retry-After"]
    assert 'lang="pl"' in page.text
    assert api.status_code == 503
    assert api.headers["Content-Type"] == "application/problem+json"

    until(
        lambda: browser.get(stack.base + "/leszno/", timeout=30).status_code == 200,
        10,
        "pages again without restarting anything",
    )
    ask_for_a_password_reset(stack, ADMIN)
    until(lambda: mail.to(ADMIN), 60, "the worker, still running, sends mail again")


def test_backup_and_restore_give_back_every_row_and_file(stack, owner):
    backups = stack.folder / "backups"
    env = {**stack.env, "BACKUP_DIR": str(backups)}
    rows, files = rows_of_every_table(owner), files_under(stack.storage)
    assert rows["registrations"] >= IMPORTED and files
    run(["bash", "deploy/backup/backup.sh"], env)

    with owner.begin() as connection:
        connection.execute(text("DELETE FROM registration_tags"))
        connection.execute(text("DELETE FROM registrations"))
    next(path for path in stack.storage.rglob("*") if path.is_file()).unlink()
    backup = next(backups.iterdir())

    stack.stop_worker()
    for gunicorn in stack.gunicorns:
        gunicorn.terminate()
        gunicorn.wait(timeout=45)
    owner.dispose()
    run(["bash", "deploy/backup/restore.sh", "--yes", str(backup)], env)
    stack.release()
    for number in (0, 1):
        stack.start_gunicorn(number)
    stack.start_worker()

    assert rows_of_every_table(owner) == rows
    assert files_under(stack.storage) == files
    assert stack.browser().get(stack.base + "/leszno/", timeout=30).status_code == 200


def test_a_backup_restored_in_one_command_on_a_new_server_is_served_as_it_was(stack, owner):
    backups = stack.folder / "backups"
    rows, files = rows_of_every_table(owner), files_under(stack.storage)
    run(["bash", "deploy/backup/backup.sh"], {**stack.env, "BACKUP_DIR": str(backups)})
    newest = max(backups.iterdir())
    name = newest_active_organisation(owner, "leszno")
    assert name

    server = Postgres(database=None)  # an empty server: no roles, no database
    try:
        env = {
            **stack.env,
            **database_env(server),
            "POSTGRES_SUPERUSER_URL": server.superuser_url,
            "STORAGE_ROOT": str(server.folder / "storage"),
        }
        restore = ["bash", "deploy/backup/restore.sh", "--yes", "--create", str(newest)]
        run(restore, env)
        run(restore, env)  # again, where the database and the roles now exist

        restored = create_engine(env["MIGRATION_DATABASE_URL"])
        try:
            assert rows_of_every_table(restored) == rows
            assert walls(restored) == walls(owner)
        finally:
            restored.dispose()
        assert files_under(Path(env["STORAGE_ROOT"])) == files
        application = app_on(env["DATABASE_URL"], Path(env["STORAGE_ROOT"]))
        try:
            page = application.test_client().get("/leszno/organisations", query_string={"q": name})
        finally:
            with application.app_context():
                db.engine.dispose()
        assert page.status_code == 200 and name in page.text
    finally:
        server.remove()


def newest_active_organisation(owner, slug: str) -> str:
    with owner.connect() as connection:
        return connection.scalar(
            text(
                "SELECT o.name FROM organisations o JOIN registrations r"
                " ON r.organisation_id = o.id JOIN tenants t ON t.id = r.tenant_id"
                " WHERE t.slug = :slug AND r.status = 'active' ORDER BY r.id DESC LIMIT 1"
            ),
            {"slug": slug},
        )


# Privileges as written (an empty grant list reads as the default, as pg_dump writes it).
WALLS = {
    "tables": "SELECT relname, relkind, relrowsecurity, relforcerowsecurity, coalesce(relacl,"
    " acldefault((CASE relkind WHEN 'S' THEN 's' ELSE 'r' END)::\"char\", relowner))::text,"
    " pg_get_userbyid(relowner) FROM pg_class WHERE relnamespace = 'public'::regnamespace",
    "columns": "SELECT relname, attname, attacl::text FROM pg_attribute JOIN pg_class"
    " ON pg_class.oid = attrelid"
    " WHERE relnamespace = 'public'::regnamespace AND attacl IS NOT NULL",
    "policies": "SELECT tablename, policyname, permissive, roles::text, cmd, qual, with_check"
    " FROM pg_policies WHERE schemaname = 'public'",
    "functions": "SELECT proname, prosecdef, coalesce(proacl, acldefault('f', proowner))::text,"
    " pg_get_userbyid(proowner) FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
    "roles": "SELECT rolname, rolsuper, rolbypassrls, rolcanlogin, rolcreaterole, rolcreatedb"
    " FROM pg_roles WHERE rolname LIKE 'razem%'",
    "memberships": "SELECT roleid::regrole::text, member::regrole::text FROM pg_auth_members"
    " WHERE member::regrole::text LIKE 'razem%'",
    "database": "SELECT coalesce(datacl, acldefault('d', datdba))::text,"
    " pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()",
    "schema": "SELECT coalesce(nspacl, acldefault('n', nspowner))::text FROM pg_namespace"
    " WHERE nspname = 'public'",
}


def walls(engine) -> dict[str, list]:
    """What keeps the app role in its place: owners, privileges, row-level security."""
    with engine.connect() as connection:
        return {
            name: sorted(map(tuple, connection.execute(text(sql)))) for name, sql in WALLS.items()
        }


def run(command: list[str], env: dict) -> None:
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr


def test_a_city_exported_offboarded_and_imported_elsewhere_comes_back_whole(stack, office, owner):
    _, leszno, _ = office
    archive = stack.folder / "leszno.zip"
    rows, files = populated(rows_of_city(owner, leszno)), files_of(stack.storage, leszno)
    assert rows["registrations.tenant_id"] >= IMPORTED and files

    stack.flask("tenants", "export", "leszno", "--output", str(archive))
    stack.flask("tenants", "offboard", "leszno")
    assert not populated(rows_of_city(owner, leszno))
    assert not files_of(stack.storage, leszno)

    elsewhere = stack.another_deployment("elsewhere", without_tenant="leszno")
    stack.flask("tenants", "import", str(archive), **elsewhere)
    there = create_engine(elsewhere["MIGRATION_DATABASE_URL"])
    try:
        with there.connect() as connection:
            new_id = connection.scalar(text("SELECT id FROM tenants WHERE slug = 'leszno'"))
        assert populated(rows_of_city(there, new_id)) == rows
    finally:
        there.dispose()
    assert files_of(Path(elsewhere["STORAGE_ROOT"]), new_id) == files


def populated(counts: dict[str, int]) -> dict[str, int]:
    return {column: count for column, count in counts.items() if count}
