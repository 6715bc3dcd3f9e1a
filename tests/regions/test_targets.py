"""The coordinator's target date per standard: set with a validated form and on record,
reminded to the cities once, and marked in the matrix for cities past it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app.extensions import db
from tests import factories
from tests.conftest import log_in, post_form


@pytest.fixture
def project(regions):
    return factories.standards_project(regions["wielkopolskie"])


@pytest.fixture
def coordinator(client, make_user):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")
    return client


def edit_url(project, standard) -> str:
    return f"/regions/wielkopolskie/projects/{project.id}/standards/{standard.id}/edit"


def set_target(client, project, standard, value: str):
    return post_form(
        client,
        edit_url(project, standard),
        {
            "version_lock": str(standard.lock_version or 0),
            "block_id": str(standard.block_id),
            "group_id": str(standard.group_id or 0),
            "title": standard.title,
            "version": standard.version,
            "position": str(standard.position),
            "target_date": value,
        },
    )


def test_the_coordinator_sets_a_target_date_on_record(coordinator, project):
    from app.regions.models import Standard, StandardTargetChange

    standard = project.blocks[0].standards[0]
    assert set_target(coordinator, project, standard, "2026-12-31").status_code == 302

    db.session.expire_all()
    assert db.session.get(Standard, standard.id).target_date == date(2026, 12, 31)
    [change] = db.session.scalars(select(StandardTargetChange)).all()
    assert change.target_date == date(2026, 12, 31) and change.user_id is not None
    page = coordinator.get(edit_url(project, standard)).get_data(as_text=True)
    history = page[page.index("Target dates set") :]
    assert "31.12.2026" in history
    assert "Jan Kowalski" in history  # who set it


def test_a_bad_target_date_gets_a_clear_message(coordinator, project):
    standard = project.blocks[0].standards[0]
    project.starts_on = date(2013, 1, 1)
    db.session.commit()

    early = set_target(coordinator, project, standard, "2012-06-30")
    assert early.status_code == 422
    assert "cannot come before the project starts" in early.get_data(as_text=True)
    garbage = set_target(coordinator, project, standard, "31 lutego")
    assert garbage.status_code == 422
    assert "Standard konsultacji nr 1" in garbage.get_data(as_text=True)  # nothing lost


def test_cities_are_reminded_once_per_city_and_standard(app, make_user, tenants, project, owner):
    first, second, _third = project.blocks[0].standards
    today = date(2026, 12, 1)
    first.target_date = today + timedelta(days=10)
    second.target_date = today + timedelta(days=60)  # not yet
    db.session.commit()
    make_user("a.szymanska@leszno.pl", leszno="admin")
    make_user("admin@kalisz.pl", kalisz="admin")
    factories.adoption(tenants["kalisz"], first, "adopted")  # Kalisz has done its part

    runner = app.test_cli_runner()
    for day in (today, today, today + timedelta(days=1)):  # twice on one day, then the next
        assert runner.invoke(args=["reminders", "send", "--today", day.isoformat()]).exit_code == 0

    with owner.connect() as connection:  # everyone's notifications: each is behind its wall
        told = connection.execute(
            text("SELECT user_id, key FROM notifications WHERE kind = 'standard_target_near'")
        ).all()
    leszno = _user_id("a.szymanska@leszno.pl")
    assert [user for user, _key in told] == [leszno]
    assert f"standard-{first.id}-target-" in told[0][1]


def test_the_matrix_marks_cities_past_the_target_date(coordinator, tenants, project):
    first = project.blocks[0].standards[0]
    first.target_date = date(2020, 1, 1)
    db.session.commit()
    factories.adoption(tenants["kalisz"], first, "adopted", review="accepted")
    factories.adoption(tenants["konin"], first, "adopted", review="pending")

    page = coordinator.get(f"/regions/wielkopolskie/projects/{project.id}/adoption").get_data(
        as_text=True
    )

    assert "past a target date" in _row(page, "Leszno")
    assert "past a target date" in _row(page, "Konin")  # a claim is not yet adoption
    assert "past a target date" not in _row(page, "Kalisz")
    assert "target date: " in page  # the standard's column says its date


def _row(page: str, city: str) -> str:
    start = page.index(f'<th scope="row">{city}')
    return page[start : page.index("</tr>", start)]


def _user_id(email: str) -> int:
    from app.accounts.models import User

    return db.session.scalar(select(User.id).where(User.email == email))
