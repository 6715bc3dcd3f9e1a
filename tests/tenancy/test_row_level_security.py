"""The second wall: PostgreSQL row-level security holds when the ORM filter is bypassed."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from app.accounts.models import Invitation
from app.extensions import db
from app.meetings.models import Meeting
from app.tenancy import before_scope
from app.tenancy.context import tenant_scope
from app.tenancy.cross_tenant import CrossTenantRead, reading_region
from app.tenancy.scoping import CrossTenantWriteError, tenant_scoped_tables
from tests import factories


@pytest.fixture
def meetings(tenants):
    for slug in ("leszno", "kalisz", "krakow"):
        factories.meeting(tenants[slug])


@pytest.fixture
def invitations(tenants):
    factories.invitation(tenants["leszno"], "leszno@example.org")
    factories.invitation(tenants["kalisz"], "kalisz@example.org")
    factories.invitation(tenants["krakow"], "krakow@example.org")


def test_every_tenant_owned_table_is_behind_forced_rls(app_context):
    tables = tenant_scoped_tables()
    assert {"audit_log", "invitations"} <= set(tables)
    rows = db.session.execute(
        text(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname = ANY(:tables)"
        ),
        {"tables": tables},
    ).all()
    assert {(name, True, True) for name in tables} == set(rows)


def test_application_role_does_not_own_the_tables(app_context, databases):
    owner = db.session.scalar(
        text("SELECT tableowner FROM pg_tables WHERE tablename = 'invitations'")
    )
    current = db.session.scalar(text("SELECT current_user"))
    assert current == "razem_test_app" and owner != current
    superuser = db.session.scalar(
        text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
    )
    assert superuser is False


def test_raw_sql_sees_only_the_current_tenants_rows(app_context, tenants, invitations):
    with tenant_scope(tenants["leszno"].id):
        emails = db.session.scalars(text("SELECT email FROM invitations")).all()
    assert emails == ["leszno@example.org"]


def test_raw_sql_without_a_tenant_sees_nothing(app_context, invitations):
    assert db.session.scalars(text("SELECT email FROM invitations")).all() == []


def test_raw_sql_cannot_write_into_another_tenant(app_context, tenants, invitations):
    with tenant_scope(tenants["leszno"].id):
        updated = db.session.execute(
            text("UPDATE invitations SET role = 'admin' WHERE email = 'kalisz@example.org'")
        ).rowcount
        deleted = db.session.execute(
            text("DELETE FROM invitations WHERE tenant_id = :k"), {"k": tenants["kalisz"].id}
        ).rowcount
        assert (updated, deleted) == (0, 0)
        with pytest.raises(DBAPIError, match="row-level security"):
            db.session.execute(
                text(
                    "INSERT INTO invitations (tenant_id, email, role, token_hash, expires_at) "
                    "VALUES (:k, 'x@example.org', 'admin', 'h', now())"
                ),
                {"k": tenants["kalisz"].id},
            )
    db.session.rollback()


def test_a_fresh_connection_of_the_app_role_sees_nothing_without_the_setting(
    databases, invitations
):
    engine = create_engine(databases.app_url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM invitations")) == 0
        connection.execute(text("SELECT set_config('app.tenant_id', '999999', true)"))
        assert connection.scalar(text("SELECT count(*) FROM invitations")) == 0
    engine.dispose()


def test_orm_queries_are_scoped_without_any_filter(app_context, tenants, invitations):
    with tenant_scope(tenants["kalisz"].id):
        emails = db.session.scalars(select(Invitation.email)).all()
    assert emails == ["kalisz@example.org"]


def test_reading_several_tenants_follows_each_scope(app_context, tenants, meetings):
    """Several readable tenants go to PostgreSQL as one array; a cached statement must
    still take each scope's own tenants."""
    scopes = [("leszno", "kalisz"), ("kalisz", "krakow"), ("leszno", "krakow")]
    for slugs in scopes:
        ids = tuple(tenants[slug].id for slug in slugs)
        with tenant_scope(None, readable_tenant_ids=ids):
            read = db.session.scalars(select(Meeting.tenant_id).order_by(Meeting.tenant_id)).all()
        db.session.rollback()
        assert read == sorted(ids)


def test_a_definer_read_of_no_setting_sends_the_settings_after_it_not_before(
    app_context, tenants, meetings, count_queries
):
    """A SECURITY DEFINER function that reads no setting runs the same under any: the
    settings go with the next statement (a bearer token's owner is found before the person
    is known), unless the role the function runs as must change back first."""
    leszno, kalisz = tenants["leszno"].id, tenants["kalisz"].id
    db.session.rollback()  # a transaction of its own: it starts with no setting
    with tenant_scope(leszno), count_queries() as counter:
        before_scope.member_counts()
        assert db.session.scalars(select(Meeting.tenant_id)).all() == [leszno]
    assert "razem_member_counts" in counter.statements[0]
    assert "set_config('app.tenant_id'" in counter.statements[1]

    with tenant_scope(None, readable_tenant_ids=(leszno, kalisz)):
        db.session.scalars(select(Meeting.tenant_id)).all()  # as the regional reader
    with count_queries() as counter:
        before_scope.member_counts()
    assert "set_config('app.tenant_id'" in counter.statements[0]
    assert "razem_member_counts" in counter.statements[1]
    db.session.rollback()


def test_orm_refuses_to_write_a_row_for_another_tenant(app_context, tenants):
    with tenant_scope(tenants["leszno"].id):
        db.session.add(
            Invitation(
                tenant_id=tenants["kalisz"].id,
                email="x@example.org",
                role="staff",
                token_hash="t",
                expires_at=db.func.now(),
            )
        )
        with pytest.raises(CrossTenantWriteError):
            db.session.flush()
    db.session.rollback()


def test_new_rows_take_the_current_tenant(app_context, tenants):
    invitation, _ = factories.invitation(tenants["sopot"])
    assert invitation.tenant_id == tenants["sopot"].id


def test_regional_read_covers_the_regions_cities_only_and_is_recorded(
    app_context, tenants, regions, meetings, make_user
):
    g.actor_id = make_user("koordynator@umww.pl", coordinator_of="wielkopolskie").id
    with reading_region(regions["wielkopolskie"], purpose="test"):
        orm = set(db.session.scalars(select(Meeting.tenant_id)))
        raw = set(db.session.scalars(text("SELECT tenant_id FROM meetings")))
        with pytest.raises(DBAPIError, match="permission denied"):
            db.session.execute(text("UPDATE meetings SET title = 'x'"))
    db.session.rollback()
    assert orm == raw == {tenants["leszno"].id, tenants["kalisz"].id}
    record = db.session.scalars(select(CrossTenantRead)).one()
    assert record.region_id == regions["wielkopolskie"].id and record.purpose == "test"
