"""The cycle of a programme: who may move it, when, and what the law asks before."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.programmes import services
from app.programmes.catalogue import Stage
from app.programmes.models import Programme
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

LESZNO = partial(datetime, tzinfo=ZoneInfo("Europe/Warsaw"))


@pytest.fixture
def staff(client, make_user):
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    return client


def _stage(programme_id: int, tenants) -> str:
    with tenant_scope(tenants["leszno"].id):
        db.session.expire_all()
        return db.session.get(Programme, programme_id).stage


def test_completeness_panel_shows_what_the_law_still_needs(staff, tenants):
    programme = factories.programme(tenants["leszno"])
    page = staff.get(
        f"/leszno/programmes/{programme.id}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "✓ present: 2. Principles of cooperation" in page  # statutory defaults
    assert "✗ missing: 1. Main goal and specific goals" in page
    assert "✗ missing: 8. Planned budget" in page


def test_consultation_cannot_open_while_required_sections_are_empty(staff, tenants):
    programme = factories.programme(tenants["leszno"], stage="proposals_review")
    response = post_form(
        staff,
        f"/leszno/programmes/{programme.id}/stage",
        {"stage": "consultation"},
        follow_redirects=True,
        headers={"Accept-Language": "en"},
    )
    page = response.get_data(as_text=True)
    assert "The draft lacks required elements: 1. Main goal and specific goals" in page
    assert _stage(programme.id, tenants) == "proposals_review"


def test_the_cycle_moves_step_by_step_and_is_recorded(staff, tenants):
    programme_id = factories.programme(tenants["leszno"], complete=True).id
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        programme.proposals_from, programme.proposals_to = date(2023, 7, 13), date(2023, 7, 27)
        programme.consultation_from, programme.consultation_to = (
            date(2023, 10, 2),
            date(2023, 10, 16),
        )
        db.session.commit()
    url = f"/leszno/programmes/{programme_id}/stage"
    skipped = post_form(
        staff,
        url,
        {"stage": "consultation"},
        follow_redirects=True,
        headers={"Accept-Language": "en"},
    )
    assert "only move to the next stage" in skipped.get_data(as_text=True)
    for stage in ("proposals_open", "proposals_review", "consultation", "opinions", "final"):
        post_form(staff, url, {"stage": stage, "note": f"krok {stage}"})
        assert _stage(programme_id, tenants) == stage
    with tenant_scope(tenants["leszno"].id):
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "Transition")
        ).all()
    assert len(entries) == 5
    assert all(e.user.email == "b.grygier@leszno.pl" for e in entries)
    # adoption is the admin's: staff get 403
    assert post_form(staff, url, {"stage": "adopted"}).status_code == 403


def test_admin_adopts_by_recording_the_resolution(client, make_user, tenants):
    programme = factories.programme(tenants["leszno"], stage="final")
    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    url = f"/leszno/programmes/{programme.id}"
    refused = post_form(
        client,
        f"{url}/stage",
        {"stage": "adopted"},
        follow_redirects=True,
        headers={"Accept-Language": "en"},
    )
    assert "Record the council resolution" in refused.get_data(as_text=True)
    resolution = b"%PDF-1.4\n% Uchwala LXIV/870/2023\n%%EOF"
    post_form(
        client,
        f"{url}/adoption",
        {
            "resolution_number": "LXIV/870/2023",
            "resolution_date": "2023-11-23",
            "resolution_file": (io.BytesIO(resolution), "uchwała.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert client.get(f"{url}/resolution").get_data() == resolution
    assert _stage(programme.id, tenants) == "adopted"  # recording the adoption adopts
    page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "done on November 23, 2023" in page


def test_proposals_review_waits_for_the_window_to_close(app_context, tenants):
    programme = factories.programme(tenants["leszno"], stage="proposals_open")
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme.id)
        programme.proposals_from, programme.proposals_to = date(2023, 7, 13), date(2023, 7, 27)
        with pytest.raises(services.ProgrammeError, match=r"przyjmowane jeszcze do 27\.07\.2023"):
            services.move(
                programme, Stage.PROPOSALS_REVIEW, "staff", at=LESZNO(2023, 7, 27, 23, 59, 59)
            )
        services.move(programme, Stage.PROPOSALS_REVIEW, "staff", at=LESZNO(2023, 7, 28))


def test_legal_deadlines_of_an_annual_programme(app_context, tenants):
    programme = factories.programme(tenants["leszno"], year=2024)
    adoption, report = services.deadlines(programme)
    assert adoption.due == date(2023, 11, 30) and report.due == date(2025, 5, 31)
    assert adoption.state(date(2023, 11, 10)) == "soon"
    assert adoption.state(date(2023, 12, 1)) == "overdue"


def test_start_from_last_years_programme(staff, tenants):
    previous = factories.programme(tenants["leszno"], year=2023, stage="reported", complete=True)
    response = post_form(staff, "/leszno/programmes/copy")
    assert response.status_code == 302
    with tenant_scope(tenants["leszno"].id):
        copied = db.session.scalars(select(Programme).where(Programme.year_from == 2024)).one()
        assert copied.stage == "draft"
        assert copied.title.endswith("na 2024 rok")
        assert copied.text("goals") == "Treść: goals"
        assert [p.name for p in copied.principles][:2] == ["Pomocniczość", "Suwerenność stron"]
        assert copied.indicators[0].planned == 12 and copied.indicators[0].actual is None
        assert previous.id != copied.id


def test_two_officials_editing_the_second_save_is_refused_and_kept(client, make_user, tenants):
    programme = factories.programme(tenants["leszno"])
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    url = f"/leszno/programmes/{programme.id}/edit"
    # both open the form at the same version
    opened = re.search(
        r'name="version" type="hidden" value="(\d+)"', client.get(url).get_data(as_text=True)
    ).group(1)
    first = {"version": opened, "title": programme.title, "goals": "Cel główny: wersja Barbary."}
    second = {
        "version": opened,
        "title": programme.title,
        "goals": "Cel główny: wersja Anny, której nie wolno zgubić.",
    }
    assert post_form(client, url, first).status_code == 302
    conflict = post_form(client, url, second, headers={"Accept-Language": "en"})
    page = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "Someone else saved this programme" in page
    assert "wersja Anny, której nie wolno zgubić" in page  # the second person's text is kept
    with tenant_scope(tenants["leszno"].id):
        db.session.expire_all()
        assert (
            db.session.get(Programme, programme.id).text("goals") == "Cel główny: wersja Barbary."
        )


def test_schedule_is_a_valid_ical_feed(staff, tenants):
    programme = factories.programme(tenants["leszno"], stage="consultation")
    post_form(
        staff,
        f"/leszno/programmes/{programme.id}/schedule",
        {
            "milestones-0-title": "Przyjmowanie propozycji zapisów od NGO",
            "milestones-0-starts_on": "2023-07-13",
            "milestones-0-ends_on": "2023-07-27",
            "milestones-0-responsible": "Biuro Pełnomocnika",
            "milestones-0-status": "done",
            "milestones-1-title": "Konsultacje społeczne projektu",
            "milestones-1-starts_on": "2023-10-01",
            "milestones-1-ends_on": "2023-10-31",
            "milestones-1-status": "planned",
        },
    )
    feed = staff.get(f"/leszno/programmes/{programme.id}/schedule.ics")
    assert feed.mimetype == "text/calendar"
    events = Calendar.from_ical(feed.get_data()).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [
        "Przyjmowanie propozycji zapisów od NGO",
        "Konsultacje społeczne projektu",
    ]
    assert events[0].decoded("dtstart") == date(2023, 7, 13)
    assert events[0].decoded("dtend") == date(2023, 7, 28)
    page = staff.get(f"/leszno/programmes/{programme.id}").get_data(as_text=True)
    assert "<svg" in page and "Przyjmowanie propozycji" in page


def test_schedule_with_bad_dates_gets_a_message(staff, tenants):
    programme = factories.programme(tenants["leszno"])
    response = post_form(
        staff,
        f"/leszno/programmes/{programme.id}/schedule",
        {
            "milestones-0-title": "Konsultacje",
            "milestones-0-starts_on": "2023-10-31",
            "milestones-0-ends_on": "2023-10-01",
            "milestones-0-status": "planned",
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "The step cannot end before it starts." in response.get_data(as_text=True)


def test_drafts_are_not_public_and_published_ones_are(client, tenants):
    draft = factories.programme(tenants["leszno"], year=2025)
    published = factories.programme(tenants["leszno"], year=2024, stage="consultation")
    assert client.get(f"/leszno/programmes/{draft.id}").status_code == 404
    assert client.get(f"/leszno/programmes/{published.id}").status_code == 200
    listing = client.get("/leszno/programmes").get_data(as_text=True)
    assert "na 2024 rok" in listing and "na 2025 rok" not in listing
