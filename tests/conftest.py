"""The suite runs against the machine's real PostgreSQL and Redis.

One database per run, created here and dropped at the end. Migrations run as its owner;
the application connects as a separate role that does not own the tables, so row-level
security applies exactly as in production.
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher, profiles
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer
from redis import Redis
from sqlalchemy import create_engine, make_url, text

from app import create_app
from app.accounts import loading, models
from app.accounts.models import Membership, RegionalAssignment, User
from app.extensions import cache, db, limiter
from app.tenancy.catalog import sync
from app.tenancy.context import tenant_scope
from app.tenancy.models import Region, Tenant

ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
APP_ROLE = "razem_test_app"
PASSWORD = "hasło-testowe-1"
# Synced from tenants/ once a run; a test may write to every other table.
CATALOG_TABLES = {"tenants", "regions"}


@dataclass
class Databases:
    owner_url: str
    app_url: str
    name: str


@pytest.fixture(scope="session")
def databases() -> Iterator[Databases]:
    name = f"razem_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        exists = connection.scalar(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}
        )
        if not exists:
            connection.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
    owner_url = make_url(ADMIN_URL).set(database=name)
    app_url = owner_url.set(username=APP_ROLE, password=None)
    try:
        yield Databases(owner_url.render_as_string(False), app_url.render_as_string(False), name)
    finally:
        db.engine.dispose() if _has_app_context() else None
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _has_app_context() -> bool:
    from flask import has_app_context

    return has_app_context()


@dataclass
class Mailbox:
    """A real SMTP peer. `refuse_next` makes it answer a temporary failure (451), as a
    busy mail server does, that many times."""

    messages: list = field(default_factory=list)
    refuse_next: int = 0

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        if self.refuse_next > 0:
            self.refuse_next -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def clear(self) -> None:
        self.messages.clear()
        self.refuse_next = 0

    def last_to(self, address: str):
        for message in reversed(self.messages):
            if message["To"] == address:
                return message
        raise AssertionError(f"no mail to {address}; got {[m['To'] for m in self.messages]}")

    @staticmethod
    def text_of(message) -> str:
        """The text a person reads, also of a message with attachments (an event's .ics)."""
        return message.get_body(("plain",)).get_content()

    @staticmethod
    def link_in(message) -> str:
        match = re.search(r"https?://\S+", Mailbox.text_of(message))
        assert match, "the message has no link"
        return match.group(0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    box.port = free_port()  # type: ignore[attr-defined]
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


def app_config(databases: Databases, mailbox: Mailbox, tmp_path_factory, **extra) -> dict:
    return {
        "RAZEM_ENV": "testing",
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": databases.app_url,
        "MIGRATION_DATABASE_URI": databases.owner_url,
        "APP_DB_ROLE": APP_ROLE,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"razem-test-{databases.name}",
        # the storage's own prefix, so that resetting the limits of this run (before every
        # test) leaves the runs of other checkouts on the same Redis alone
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": f"razem-test-{databases.name}"},
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"razem-test-{databases.name}-cache:",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mailbox.port,
        "STORAGE_ROOT": tmp_path_factory.mktemp("storage"),
        "SERVER_NAME": None,
        # the webhooks' tests receive on loopback, which production refuses (SSRF)
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS": True,
        **extra,
    }


class BrowserLikeClient(FlaskClient):
    """Each request gets its own app context, as in production, even while a test holds
    one open for its fixtures — otherwise flask.g and the session would leak between
    requests."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(databases, mailbox, tmp_path_factory):
    application = create_app(app_config(databases, mailbox, tmp_path_factory))
    application.test_client_class = BrowserLikeClient
    with application.app_context():
        upgrade()
        sync(application.config["TENANTS_DIR"])
    return application


@pytest.fixture(autouse=True)
def clean_state(request, databases, mailbox):
    """Every test starts with the tenants and regions only, and no login attempts counted."""
    if "app" in request.fixturenames:
        with request.getfixturevalue("app").app_context():
            limiter.reset()
        loading.forget_everyone()
    yield
    if "app" not in request.fixturenames:
        return
    owner = create_engine(databases.owner_url)
    with owner.begin() as connection:
        empty_what_was_written(connection)
        # the regions stay, the coordinators' choices on them do not
        connection.execute(
            text(
                "UPDATE regions SET benchmark_public = false, lock_version = 1 "
                "WHERE benchmark_public OR lock_version <> 1"
            )
        )
    owner.dispose()
    mailbox.clear()
    with request.getfixturevalue("app").app_context():
        cache.clear()


def data_tables() -> list[str]:
    """Every table a test may write to: the models' tables but the catalog."""
    return sorted(set(db.metadata.tables) - CATALOG_TABLES)


def empty_what_was_written(connection) -> None:
    """Empty the tables a test wrote to and restart the ids it took (also by an insert rolled
    back). Rows are deleted with the foreign keys unchecked, in any order: a few rows deleted
    cost a millisecond, where truncating every table after each test cost ~0.2 s."""
    tables = data_tables()
    with_rows = " UNION ".join(f"SELECT '{t}' WHERE EXISTS (SELECT FROM {t})" for t in tables)
    connection.execute(text("SET LOCAL session_replication_role = replica"))
    for table in connection.scalars(text(with_rows)).all():
        connection.execute(text(f"DELETE FROM {table}"))
    connection.execute(text(_RESTART_TAKEN_IDS), {"tables": tables})


# Each id sequence of :tables that has handed out a number, back to its start.
_RESTART_TAKEN_IDS = """SELECT setval(sequence.seqrelid::regclass, 1, false) FROM pg_depend AS link
JOIN pg_sequence AS sequence ON sequence.seqrelid = link.objid
JOIN pg_class AS owner ON owner.oid = link.refobjid
WHERE link.deptype IN ('a', 'i') AND owner.relname = ANY(:tables)
AND pg_sequence_last_value(sequence.seqrelid) IS NOT NULL"""


@pytest.fixture(scope="session", autouse=True)
def cheapest_password_hashing():
    """Passwords hashed and checked with argon2's profile made for tests (CHEAPEST): still
    argon2id, at a fraction of the ~0.1 s each made user and each login cost. The servers
    that tests/deploy starts hash as deployed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(models, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        yield


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    with app.app_context():
        limiter.reset()
    return app.test_client()


@pytest.fixture
def tenants(app_context) -> dict[str, Tenant]:
    return {t.slug: t for t in db.session.scalars(db.select(Tenant))}


@dataclass
class AddedPlaces:
    """Regions and cities beyond those of tenants/, for a test that needs more of them."""

    made_regions: list[Region] = field(default_factory=list)
    made_cities: list[Tenant] = field(default_factory=list)

    def region(self, slug: str, teryt: str, names: dict[str, str]) -> Region:
        region = Region(slug=slug, teryt=teryt, names=names)
        db.session.add(region)
        db.session.commit()
        self.made_regions.append(region)
        return region

    def cities(self, region: Region, names: list[str], population: int = 40_000) -> list[Tenant]:
        made = [
            Tenant(
                slug=f"{region.slug}-{number}",
                names={"pl": name},
                kind="city",
                region_id=region.id,
                teryt=f"{region.teryt}9{number:03d}1",  # a town (gmina miejska): type 1
                population=population,
            )
            for number, name in enumerate(names, start=len(self.made_cities))
        ]
        db.session.add_all(made)
        db.session.commit()
        self.made_cities.extend(made)
        return made


@pytest.fixture
def added_places(app_context, databases) -> Iterator[AddedPlaces]:
    """Removes what it added after the test, also when the test fails: a city left behind
    shows up in every later test that walks all cities (name forms, documents)."""
    places = AddedPlaces()
    yield places
    db.session.rollback()
    city_ids = [city.id for city in places.made_cities]
    region_ids = [region.id for region in places.made_regions]
    owner = create_engine(databases.owner_url)
    with owner.begin() as connection:
        # their rows first (clean_state would, but only after this fixture is gone)
        empty_what_was_written(connection)
        connection.execute(text("DELETE FROM tenants WHERE id = ANY(:ids)"), {"ids": city_ids})
        connection.execute(text("DELETE FROM regions WHERE id = ANY(:ids)"), {"ids": region_ids})
    owner.dispose()
    db.session.expire_all()


@pytest.fixture
def regions(app_context) -> dict[str, Region]:
    return {r.slug: r for r in db.session.scalars(db.select(Region))}


@pytest.fixture
def make_user(app_context, tenants, regions):
    """make_user("a@b.pl", leszno="admin", coordinator_of="wielkopolskie")"""

    def make(
        email: str,
        name: str = "Jan Kowalski",
        locale: str | None = None,
        coordinator_of: str | None = None,
        operator: bool = False,
        **roles: str,
    ) -> User:
        user = User(email=email, name=name, locale=locale, is_operator=operator)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        for slug, role in roles.items():
            if role == "ngo":
                _represent_an_organisation_active_in(user, tenants[slug])
                continue
            with tenant_scope(tenants[slug].id):
                db.session.add(Membership(user=user, tenant_id=tenants[slug].id, role=role))
                db.session.commit()
        if coordinator_of:
            db.session.add(RegionalAssignment(user=user, region=regions[coordinator_of]))
            db.session.commit()
        return user

    return make


def _represent_an_organisation_active_in(user: User, tenant: Tenant) -> None:
    """NGO access is never a membership: it follows the organisation's active registration."""
    from app.organisations.models import OrganisationMember
    from tests import factories

    organisation = next((m.organisation for m in _organisation_links(user)), None)
    registration = factories.registration(tenant, organisation)
    if organisation is None:
        db.session.add(OrganisationMember(organisation=registration.organisation, user=user))
        db.session.commit()


def _organisation_links(user: User) -> list:
    from sqlalchemy import select

    from app.organisations.models import OrganisationMember

    return list(
        db.session.scalars(select(OrganisationMember).where(OrganisationMember.user_id == user.id))
    )


CSRF_PATTERN = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client, path: str = "/") -> str:
    """The session's token, from a page as a browser reads it. A public page asked without
    a cookie holds none (it may be shared: app/core/edge.py); the login form gives one."""
    match = CSRF_PATTERN.search(client.get(path).get_data(as_text=True))
    if match is None and path == "/":
        match = CSRF_PATTERN.search(client.get("/login").get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


FORM_TOKEN = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*\bvalue="([^"]+)"')


def csrf_secrets(app, page: str) -> set[str]:
    """Whose sessions the forms of a page were made for: the secret each CSRF token signs. A
    token carries the second it was signed in, so two tokens of one session differ across a
    second's edge, while the secret they sign does not."""
    return {_csrf_signer(app).loads(token) for token in FORM_TOKEN.findall(page)}


def csrf_secret(app, client) -> str:
    """The secret of the client's session that every token of its forms signs."""
    return _csrf_signer(app).loads(csrf_token(client))


def _csrf_signer(app) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")


def post_form(client, url: str, data: dict | None = None, **kwargs):
    """POST a form the way a browser does: with the CSRF token of the session."""
    payload = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(url, data=payload, **kwargs)


def log_in(client, email: str, password: str = PASSWORD):
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, "login failed"
    return response


@pytest.fixture
def redis_client():
    connection = Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """with count_queries() as counter: ...; counter.count — every SQL statement sent.

    What is counted is the work of the pages themselves, as if nothing were kept between
    requests (no kept page, the city read from the database): a count then does not depend
    on whether an earlier commit replaced a revision. `count_queries(kept=True)` counts with
    them, as a server answers."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting(kept: bool = False):
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        keeping = app.config["PAGE_CACHE"]
        app.config["PAGE_CACHE"] = keeping and kept
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)
            app.config["PAGE_CACHE"] = keeping

    return counting


@pytest.fixture
def redis_queue(app, databases, redis_client, mailbox):
    """Enqueue to the real Redis, then redis_queue.run_worker() drains it with
    `flask worker --burst` in another process."""
    import os
    import subprocess
    import sys
    from contextlib import contextmanager

    @contextmanager
    def queueing(retry_intervals=(10, 60, 300)):
        app.config.update(REDIS_URL=REDIS_URL, JOB_RETRY_INTERVALS=tuple(retry_intervals))
        try:
            yield
        finally:
            app.config.update(REDIS_URL=None, JOB_RETRY_INTERVALS=(10, 60, 300))
            app.extensions.pop("redis", None)

    def run_worker(check: bool = True, **settings: str) -> subprocess.CompletedProcess:
        """Drain the queue; `settings` are more environment variables of the worker."""
        env = {
            **os.environ,
            "RAZEM_ENV": "testing",
            "DATABASE_URL": databases.app_url,
            "REDIS_URL": REDIS_URL,
            "STORAGE_ROOT": str(app.config["STORAGE_ROOT"]),
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(mailbox.port),
            **settings,
        }
        finished = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "worker", "--burst"],
            # from the project's root, where the worker finds tests/jobs/worker_faults.py
            cwd=Path(__file__).resolve().parents[1],
            env=env,
            check=check,
            timeout=120,
            capture_output=True,
        )
        db.session.expire_all()
        return finished

    queueing.run_worker = run_worker  # type: ignore[attr-defined]
    return queueing


@pytest.fixture
def demo(app_context):
    """The demo of `make run` (every city, person, programme and meeting of the seeds), for
    sweeps that must meet fully filled records. Logins use DEMO_PASSWORD."""
    from app.demo.loader import load

    load()
    db.session.commit()
    return {t.slug: t for t in db.session.scalars(db.select(Tenant))}


@pytest.fixture
def owner(databases):
    """An engine as the tables' owner: sees every tenant's rows, as a snapshot must."""
    engine = create_engine(databases.owner_url)
    yield engine
    engine.dispose()


# Every kind of person the generated sweeps visit the demo as (e-mail, None for anonymous).
PEOPLE = {
    "anonymous": None,
    "NGO of the city": "ngo@echo.demo",
    "viewer": "przeglad@leszno.demo",
    "staff": "pracownik@leszno.demo",
    "admin": "admin@leszno.demo",
    "admin of another city": "admin@kalisz.demo",
    "coordinator": "koordynator@wielkopolska.demo",
    "operator": "operator@razem.demo",
}


@pytest.fixture
def people(app, demo, make_user):
    """A logged-in client for each of PEOPLE, on the demo."""
    from app.demo.loader import DEMO_PASSWORD

    make_user("przeglad@leszno.demo", leszno="viewer")
    limiter.reset()
    clients = {}
    for who, email in PEOPLE.items():
        clients[who] = app.test_client()
        if email:
            log_in(clients[who], email, PASSWORD if who == "viewer" else DEMO_PASSWORD)
    return clients
