"""The second wall around the per-tenant links that follow a person across cities
(memberships, registrations, jobs, API tokens) and around what is a person's own wherever
they are (notifications, their choices and digests; the deliveries of their jobs' mails):
raw SQL as the application's role, bypassing
the ORM, reads a city's rows in that city and a person's own rows wherever they are — and
writes nothing outside the current city, the person's own rows in other cities included."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from app import unit_of_work
from app.accounts import services
from app.accounts.models import User
from app.extensions import db
from app.jobs.models import JobRecord
from app.organisations.models import OrganisationMember
from app.tenancy import before_scope
from app.tenancy.context import acting_as, as_job_owner, as_system, tenant_scope
from app.tenancy.cross_tenant import reading_region
from app.tenancy.rls import PERSONAL_WALLS
from tests import factories


@dataclass
class Planted:
    """Two people, each working in a city of their own, and the rows of each table that are
    theirs, their city's, or neither: {table: {label: id}}."""

    anna: User
    bartek: User
    rows: dict[str, dict[str, object]]

    def ids(self, table: str, *labels: str) -> set:
        return {self.rows[table][label] for label in labels}


# The column naming a row in the tests below, where it is not `id`.
ROW_KEY = {"mail_deliveries": "job_id"}


def _key(table: str) -> str:
    return ROW_KEY.get(table, "id")


def _job(tenant_id: int | None, user_id: int | None) -> str:
    with as_job_owner(tenant_id, user_id):
        record = JobRecord(name="test.job", tenant_id=tenant_id, user_id=user_id)
        db.session.add(record)
        unit_of_work.commit()
        return record.id


def _mail_delivery(job_id: str, tenant_id: int | None, user_id: int | None) -> str:
    """The delivery of the job's mail, written by the worker running the job."""
    with as_job_owner(tenant_id, user_id):
        db.session.execute(
            text(
                "INSERT INTO mail_deliveries (job_id, recipient, message_id) "
                "VALUES (:job, 'sekretariat@leszno.pl', '<m@razem>')"
            ),
            {"job": job_id},
        )
        unit_of_work.commit()
    return job_id


# A person's own rows, as raw SQL would write them acting for the person.
PERSONAL_INSERTS = {
    "notifications": "INSERT INTO notifications (user_id, tenant_id, kind, key, title, link, "
    "delivery) VALUES (:user, :tenant, 'proposals_opened', 'proposals_opened:programme-1', "
    "'Trwa zbieranie propozycji do programu współpracy na 2027 r.', '/', 'daily') RETURNING id",
    "notification_preferences": "INSERT INTO notification_preferences (user_id, kind, delivery) "
    "VALUES (:user, 'answered', 'off') RETURNING id",
    "notification_digests": "INSERT INTO notification_digests (user_id, day) "
    "VALUES (:user, '2026-07-10') RETURNING id",
}


def _own(table: str, user: User, tenant_id: int | None) -> int:
    with acting_as(user.id):
        row_id = db.session.scalar(
            text(PERSONAL_INSERTS[table]), {"user": user.id, "tenant": tenant_id}
        )
        unit_of_work.commit()
    return row_id


def _memberships_of(user: User, label: str) -> dict[str, int]:
    with acting_as(user.id):
        rows = db.session.execute(
            text("SELECT t.slug, m.id FROM memberships m JOIN tenants t ON t.id = m.tenant_id")
        ).all()
    db.session.rollback()
    return {label.format(slug): membership_id for slug, membership_id in rows}


def _token(user: User) -> int:
    services.issue_api_token(user, "test")
    unit_of_work.commit()
    with acting_as(user.id):
        return db.session.scalars(text("SELECT max(id) FROM api_tokens")).one()


@pytest.fixture
def planted(tenants, make_user) -> Planted:
    leszno, kalisz = tenants["leszno"].id, tenants["kalisz"].id
    anna = make_user("anna@leszno.pl", leszno="staff")
    bartek = make_user("bartek@kalisz.pl", kalisz="staff")
    factories.membership(tenants["kalisz"], anna.email, role="viewer")  # Anna's, in Kalisz
    echo = factories.organisation("Stowarzyszenie Echo")
    db.session.add(OrganisationMember(organisation_id=echo.id, user_id=anna.id))
    db.session.commit()
    registrations = {
        "echo in leszno": factories.registration(tenants["leszno"], echo).id,
        "echo in kalisz": factories.registration(tenants["kalisz"], echo, "requested").id,
        "other in kalisz": factories.registration(tenants["kalisz"]).id,
    }
    rows = {
        "memberships": {
            **_memberships_of(anna, "anna in {}"),
            **_memberships_of(bartek, "bartek in {}"),
        },
        "registrations": registrations,
        "jobs": {
            "anna's in leszno": _job(leszno, anna.id),
            "bartek's in kalisz": _job(kalisz, bartek.id),
            "anna's in no city": _job(None, anna.id),
        },
        "api_tokens": {"anna's": _token(anna), "bartek's": _token(bartek)},
    }
    for table in PERSONAL_INSERTS:
        rows[table] = {"anna's": _own(table, anna, leszno), "bartek's": _own(table, bartek, kalisz)}
    jobs = rows["jobs"]
    rows["mail_deliveries"] = {
        "anna's in leszno": _mail_delivery(jobs["anna's in leszno"], leszno, anna.id),
        "bartek's in kalisz": _mail_delivery(jobs["bartek's in kalisz"], kalisz, bartek.id),
        "anna's in no city": _mail_delivery(jobs["anna's in no city"], None, anna.id),
        "nobody's": _mail_delivery(_job(None, None), None, None),
    }
    return Planted(anna, bartek, rows)


def _read(
    table: str, tenant_id: int | None = None, actor: int | None = None, system: bool = False
) -> set:
    with acting_as(actor), tenant_scope(tenant_id), as_system() if system else nullcontext():
        read = set(db.session.scalars(text(f"SELECT {_key(table)} FROM {table}")))
    db.session.rollback()
    return read


def test_every_per_tenant_link_is_behind_forced_rls_with_its_policies(app_context):
    rows = db.session.execute(
        text(
            "SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity, "
            "array_agg(p.policyname ORDER BY p.policyname) FROM pg_class c "
            "JOIN pg_policies p ON p.tablename = c.relname "
            "WHERE c.relname = ANY(:tables) GROUP BY c.relname, 2"
        ),
        {"tables": list(PERSONAL_WALLS)},
    ).all()
    policies = {table: {wall.policy} for table, wall in PERSONAL_WALLS.items()}
    for table, wall in PERSONAL_WALLS.items():
        policies[table] |= {"personal_read"} if wall.personal_read else set()
    policies["registrations"].add("regional_read")  # counted by the regional pages
    assert {(name, forced, frozenset(names)) for name, forced, names in rows} == {
        (table, True, frozenset(names)) for table, names in policies.items()
    }


@pytest.mark.parametrize("table", sorted(PERSONAL_WALLS))
def test_with_no_city_and_no_person_raw_sql_reads_none_of_the_rows(app_context, planted, table):
    assert _read(table) == set()


@pytest.mark.parametrize("table", sorted(PERSONAL_WALLS))
def test_a_fresh_connection_of_the_app_role_reads_none_of_the_rows(databases, planted, table):
    engine = create_engine(databases.app_url)
    with engine.connect() as connection:
        assert connection.scalar(text(f"SELECT count(*) FROM {table}")) == 0
    engine.dispose()


def test_memberships_a_city_reads_its_own_and_a_person_reads_theirs_everywhere(
    app_context, tenants, planted
):
    leszno, kalisz = tenants["leszno"].id, tenants["kalisz"].id
    assert _read("memberships", tenant_id=leszno) == planted.ids("memberships", "anna in leszno")
    assert _read("memberships", tenant_id=kalisz) == planted.ids(
        "memberships", "anna in kalisz", "bartek in kalisz"
    )
    assert _read("memberships", actor=planted.anna.id) == planted.ids(
        "memberships", "anna in leszno", "anna in kalisz"
    )
    assert _read("memberships", tenant_id=leszno, actor=planted.bartek.id) == planted.ids(
        "memberships", "anna in leszno", "bartek in kalisz"
    )


def test_registrations_a_city_reads_its_register_and_a_member_their_organisations(
    app_context, tenants, planted
):
    kalisz = tenants["kalisz"].id
    assert _read("registrations", tenant_id=kalisz) == planted.ids(
        "registrations", "echo in kalisz", "other in kalisz"
    )
    assert _read("registrations", actor=planted.anna.id) == planted.ids(
        "registrations", "echo in leszno", "echo in kalisz"
    )
    assert _read("registrations", actor=planted.bartek.id) == set()


def test_jobs_a_city_reads_its_own_and_a_person_theirs_in_any_city_or_none(
    app_context, tenants, planted
):
    leszno = tenants["leszno"].id
    assert _read("jobs", tenant_id=leszno) == planted.ids("jobs", "anna's in leszno")
    assert _read("jobs", actor=planted.anna.id) == planted.ids(
        "jobs", "anna's in leszno", "anna's in no city"
    )
    assert _read("jobs", tenant_id=leszno, actor=planted.bartek.id) == planted.ids(
        "jobs", "anna's in leszno", "bartek's in kalisz"
    )


def test_a_job_of_nobody_is_read_only_in_the_system_s_scope(app_context, tenants, planted):
    """A mail to someone not signed in, sent from no city, is nobody's: the worker reads it
    as the system. An anonymous request in no city, anyone acting, any city read none."""
    nobodys = _job(None, None)
    assert nobodys not in _read("jobs")
    assert nobodys not in _read("jobs", actor=planted.anna.id)
    assert nobodys not in _read("jobs", tenant_id=tenants["leszno"].id)
    planted_nobodys = planted.rows["mail_deliveries"]["nobody's"]  # the job of its mail
    assert _read("jobs", system=True) == {nobodys, planted_nobodys}
    with pytest.raises(DBAPIError, match="row-level security"):  # nor written by a request
        _job_as_anonymous_request()
    db.session.rollback()


def _job_as_anonymous_request() -> None:
    db.session.execute(
        text(
            "INSERT INTO jobs (id, name, arguments, roles, status, progress, attempts, summary) "
            "VALUES ('y', 'test.job', '{}', '[]', 'queued', 0, 0, '{}')"
        )
    )


def test_notifications_choices_and_digests_are_their_person_s_alone(app_context, tenants, planted):
    for table in PERSONAL_INSERTS:
        assert _read(table, actor=planted.anna.id) == planted.ids(table, "anna's")
        assert _read(table, tenant_id=tenants["leszno"].id) == set(), table
        assert _read(table, tenant_id=tenants["kalisz"].id, actor=planted.anna.id) == (
            planted.ids(table, "anna's")
        )


def test_a_mail_s_delivery_is_read_where_its_job_is(app_context, tenants, planted):
    assert _read("mail_deliveries", tenant_id=tenants["kalisz"].id) == planted.ids(
        "mail_deliveries", "bartek's in kalisz"
    )
    assert _read("mail_deliveries", actor=planted.anna.id) == planted.ids(
        "mail_deliveries", "anna's in leszno", "anna's in no city"
    )
    assert _read("mail_deliveries", system=True) == planted.ids("mail_deliveries", "nobody's")


def test_api_tokens_are_read_by_their_person_only_in_every_city(app_context, tenants, planted):
    assert _read("api_tokens", actor=planted.anna.id) == planted.ids("api_tokens", "anna's")
    assert _read("api_tokens", tenant_id=tenants["kalisz"].id) == set()


# (table, the row of another city or person, a raw INSERT of such a row) — run as Anna in
# Leszno: none may be written, her own rows in Kalisz included.
FOREIGN_WRITES = {
    "memberships": (
        "anna in kalisz",
        "INSERT INTO memberships (user_id, tenant_id, role) VALUES (:anna, :kalisz, 'admin')",
    ),
    "registrations": (
        "echo in kalisz",
        "INSERT INTO registrations (organisation_id, tenant_id, status) "
        "VALUES (:spare, :kalisz, 'active')",
    ),
    "jobs": (
        "bartek's in kalisz",
        "INSERT INTO jobs (id, name, arguments, tenant_id, user_id, roles, status, progress, "
        "attempts, summary) VALUES ('x', 'test.job', '{}', :kalisz, :anna, '[]', 'queued', 0, "
        "0, '{}')",
    ),
    "api_tokens": (
        "bartek's",
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix) "
        "VALUES (:bartek, 'stolen', 'h', 'p')",
    ),
    # Telling someone else is notify()'s, which writes as each person told; raw SQL acting
    # for Anna writes nothing of Bartek's, in her city or any.
    "notifications": (
        "bartek's",
        "INSERT INTO notifications (user_id, tenant_id, kind, key, title, link, delivery) "
        "VALUES (:bartek, :leszno, 'answered', 'answered:x', 'Odpowiedź', '/', 'immediately')",
    ),
    "notification_preferences": (
        "bartek's",
        "INSERT INTO notification_preferences (user_id, kind, delivery) "
        "VALUES (:bartek, 'proposals_opened', 'off')",
    ),
    "notification_digests": (
        "bartek's",
        "INSERT INTO notification_digests (user_id, day) VALUES (:bartek, '2026-07-11')",
    ),
    "mail_deliveries": (
        "bartek's in kalisz",
        "INSERT INTO mail_deliveries (job_id, recipient, message_id) "
        "VALUES (:bartek_job, 'prezes@promyk-kalisz.pl', '<x@razem>')",
    ),
}


def test_every_personal_wall_has_its_foreign_write_checked():
    assert set(FOREIGN_WRITES) == set(PERSONAL_WALLS)


@pytest.mark.parametrize("table", sorted(FOREIGN_WRITES))
def test_raw_sql_writes_nothing_of_another_city_or_person(app_context, tenants, planted, table):
    label, insert = FOREIGN_WRITES[table]
    foreign = planted.rows[table][label]
    names = {
        "anna": planted.anna.id,
        "bartek": planted.bartek.id,
        "kalisz": tenants["kalisz"].id,
        "spare": factories.organisation("Fundacja Zapasowa").id,
        "leszno": tenants["leszno"].id,
        "bartek_job": planted.rows["jobs"]["bartek's in kalisz"],
    }
    key = _key(table)
    with acting_as(planted.anna.id), tenant_scope(tenants["leszno"].id):
        updated = db.session.execute(
            text(f"UPDATE {table} SET {key} = {key} WHERE {key} = :id"), {"id": foreign}
        ).rowcount
        deleted = db.session.execute(
            text(f"DELETE FROM {table} WHERE {key} = :id"), {"id": foreign}
        ).rowcount
        assert (updated, deleted) == (0, 0)
        with pytest.raises(DBAPIError, match="row-level security"):
            db.session.execute(text(insert), names)
    db.session.rollback()
    with acting_as(planted.bartek.id), tenant_scope(tenants["kalisz"].id):
        assert (
            db.session.scalar(
                text(f"SELECT count(*) FROM {table} WHERE {key} = :id"), {"id": foreign}
            )
            == 1
        )
    db.session.rollback()


def test_a_person_changes_their_own_token_and_jobs_in_no_city(app_context, planted):
    with acting_as(planted.anna.id), tenant_scope(None):
        revoked = db.session.execute(
            text("UPDATE api_tokens SET revoked_at = now() WHERE id = :id"),
            {"id": planted.rows["api_tokens"]["anna's"]},
        ).rowcount
        finished = db.session.execute(
            text("UPDATE jobs SET status = 'done' WHERE id = :id"),
            {"id": planted.rows["jobs"]["anna's in no city"]},
        ).rowcount
    db.session.rollback()
    assert (revoked, finished) == (1, 1)


def test_the_regional_reader_counts_the_regions_registrations_only(
    app_context, tenants, regions, planted, make_user
):
    from flask import g

    g.actor_id = make_user("koordynator@umww.pl", coordinator_of="wielkopolskie").id
    with reading_region(regions["wielkopolskie"], purpose="test"):
        read = db.session.execute(text("SELECT tenant_id, status FROM registrations")).all()
        with pytest.raises(DBAPIError, match="permission denied"):
            db.session.execute(text("SELECT contact_email FROM registrations"))
    db.session.rollback()
    assert sorted(read) == sorted(
        [
            (tenants["leszno"].id, "active"),
            (tenants["kalisz"].id, "requested"),
            (tenants["kalisz"].id, "active"),
        ]
    )


def test_the_reads_before_any_scope_answer_their_step_only(app_context, tenants, planted):
    from app.accounts.models import hash_token

    with acting_as(planted.anna.id):
        anna_hash = db.session.scalar(
            text("SELECT token_hash FROM api_tokens WHERE id = :id"),
            {"id": planted.rows["api_tokens"]["anna's"]},
        )
    db.session.rollback()
    assert before_scope.api_token_owner(anna_hash) == planted.anna.id
    assert before_scope.api_token_owner(hash_token("rzm_nobody's")) is None
    job = planted.rows["jobs"]["bartek's in kalisz"]
    assert before_scope.job_scope(job) == (tenants["kalisz"].id, planted.bartek.id)
    assert before_scope.job_scope("no such job") is None
    echo = db.session.scalar(
        text("SELECT id FROM organisations WHERE name = 'Stowarzyszenie Echo'")
    )
    assert before_scope.organisation_registrations(echo) == {
        tenants["leszno"].id: "active",
        tenants["kalisz"].id: "requested",
    }
    assert before_scope.member_counts() == {tenants["leszno"].id: 1, tenants["kalisz"].id: 2}


def test_telling_others_reads_only_whether_they_were_told_and_how_they_want_it(
    app_context, planted
):
    anna, bartek = planted.anna.id, planted.bartek.id
    told = before_scope.already_notified("proposals_opened:programme-1", [anna, bartek])
    assert told == {anna, bartek}
    assert before_scope.already_notified("proposals_opened:programme-2", [anna]) == set()
    assert before_scope.already_notified("proposals_opened:programme-1", []) == set()  # nobody
    assert before_scope.chosen_deliveries("answered", [bartek]) == {bartek: "off"}
    assert before_scope.chosen_deliveries("proposals_opened", [anna, bartek]) == {}
    assert before_scope.digest_waiting() == sorted([anna, bartek])


def test_the_reads_before_any_scope_are_narrow_security_definer_functions(app_context):
    rows = db.session.execute(
        text(
            "SELECT proname, prosecdef, proconfig, "
            "has_function_privilege('public', oid, 'EXECUTE') AS public_may, "
            "pg_get_userbyid(proowner) = (SELECT tableowner FROM pg_tables "
            "WHERE tablename = 'jobs') AS owned_by_the_tables_owner "
            "FROM pg_proc WHERE proname = ANY(:names)"
        ),
        {"names": [read.name for read in before_scope.DEFINER_READS]},
    ).all()
    assert len(rows) == len(before_scope.DEFINER_READS)
    for name, definer, config, public_may, owned in rows:
        assert definer and owned, name
        assert config == ["search_path=public, pg_temp"], name
        assert not public_may, name


def test_the_reads_before_any_scope_are_planned_once_a_connection(app_context):
    """The walls' policies ask razem_actor_organisation_ids and razem_actor_ngo_tenant_ids in
    every statement on their tables: PostgreSQL plans a SQL function's body again at each
    call (0.5 ms, at regional scale), a PL/pgSQL function's once a connection."""
    languages = dict(
        db.session.execute(
            text(
                "SELECT proname, lanname FROM pg_proc "
                "JOIN pg_language ON pg_language.oid = pg_proc.prolang "
                "WHERE proname = ANY(:names)"
            ),
            {"names": [read.name for read in before_scope.DEFINER_READS]},
        ).all()
    )
    in_sql = {name for name, language in languages.items() if language != "plpgsql"}
    # The one that writes: PL/pgSQL cannot return a count from a WITH that updates.
    assert in_sql == {before_scope.FORGET_IN_AUDIT_LOG.name}
