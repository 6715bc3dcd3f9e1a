"""Event registrations of people without an account go the city's retention period after the
event (tenants/*.toml, 30 days unless set), queued daily by `flask reminders send`."""

from __future__ import annotations

import shutil
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.meetings.models import EventRegistration, Meeting
from app.tenancy.catalog import (
    DEFAULT_RETENTION_DAYS,
    CatalogError,
    load_regions,
    load_tenants,
    sync,
)
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant
from tests import factories

HELD_ON = date(2023, 7, 13)  # Leszno's meeting with NGOs (seed 000)


def register(tenant, meeting_id: int, name: str, email: str) -> None:
    with tenant_scope(tenant.id):
        db.session.add(
            EventRegistration(
                meeting_id=meeting_id,
                name=name,
                email=email,
                organisation="Stowarzyszenie „ECHO”",
                status="confirmed",
                cancel_token_hash=uuid.uuid4().hex,
            )
        )
        db.session.commit()


def emails_registered(tenant) -> set[str]:
    with tenant_scope(tenant.id):
        return set(db.session.scalars(select(EventRegistration.email)))


def send_reminders(app, today: date) -> None:
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--today", today.isoformat()])
    assert result.exit_code == 0, result.output


def test_registrations_without_an_account_go_after_the_retention_period(app, tenants, make_user):
    leszno = tenants["leszno"]
    meeting = factories.meeting(leszno)
    make_user("hanna.hendrysiak@echo.example.org", name="Hanna Hendrysiak")
    register(leszno, meeting, "Hanna Hendrysiak", "Hanna.Hendrysiak@echo.example.org")
    register(leszno, meeting, "Jan Kowalski", "jan.kowalski@example.org")
    assert leszno.registration_retention_days == DEFAULT_RETENTION_DAYS == 30

    send_reminders(app, HELD_ON + timedelta(days=30))
    assert emails_registered(leszno) == {
        "Hanna.Hendrysiak@echo.example.org",
        "jan.kowalski@example.org",
    }, "kept for 30 days after the event"

    send_reminders(app, HELD_ON + timedelta(days=31))
    assert emails_registered(leszno) == {"Hanna.Hendrysiak@echo.example.org"}, (
        "a person with an account keeps theirs (to download or erase themselves)"
    )
    with tenant_scope(leszno.id):
        erased = db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "EventRegistration", AuditEntry.action == "delete"
            )
        ).all()
    assert len(erased) == 1
    with tenant_scope(leszno.id):
        logged = db.session.scalars(
            select(AuditEntry.changes).where(AuditEntry.entity == "EventRegistration")
        ).all()
    assert "jan.kowalski" not in str(logged), "the append-only log keeps no copy of the address"
    assert "Kowalski" not in str(logged)


@pytest.fixture
def kalisz_keeps_them_a_year(app, tenants):
    db.session.get_one(Tenant, tenants["kalisz"].id).registration_retention_days = 365
    db.session.commit()
    yield
    sync(app.config["TENANTS_DIR"])  # back to the city's file, for the tests after
    db.session.commit()


def test_each_city_keeps_them_as_long_as_it_set(app, tenants, kalisz_keeps_them_a_year):
    leszno, kalisz = tenants["leszno"], tenants["kalisz"]
    for city in (leszno, kalisz):
        register(city, factories.meeting(city), "Jan Kowalski", "jan.kowalski@example.org")
    with tenant_scope(kalisz.id):
        assert db.session.scalar(select(Meeting.held_on)) == HELD_ON

    send_reminders(app, HELD_ON + timedelta(days=60))

    assert emails_registered(leszno) == set()
    assert emails_registered(kalisz) == {"jan.kowalski@example.org"}


def test_a_city_file_sets_the_retention_period(tmp_path):
    source = Path(__file__).parents[2] / "tenants"
    (tmp_path / "regions").mkdir()
    for region in (source / "regions").glob("*.toml"):
        (tmp_path / "regions" / region.name).write_text(region.read_text())
    shutil.copytree(source / "arms", tmp_path / "arms")  # the letterhead's coat of arms
    leszno = (source / "leszno.toml").read_text()
    (tmp_path / "leszno.toml").write_text(
        leszno.replace("registration_retention_days = 30", "registration_retention_days = 14")
    )
    tenants = load_tenants(tmp_path, load_regions(tmp_path))
    assert tenants["leszno"]["registration_retention_days"] == 14

    (tmp_path / "leszno.toml").write_text(
        leszno.replace("registration_retention_days = 30", "registration_retention_days = 0")
    )
    with pytest.raises(CatalogError, match="registration_retention_days"):
        load_tenants(tmp_path, load_regions(tmp_path))
