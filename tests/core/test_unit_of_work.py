"""One unit of work per request: a view's changes are committed only when it succeeds, and
any failure rolls back before the styled, translated error page renders."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from flask import abort, g
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.meetings.models import Meeting
from app.tenancy.context import tenant_scope
from tests import factories


@contextmanager
def view_replaced(app, endpoint: str, view):
    """Run `view` in place of an existing route, so the test goes through the real dispatch."""
    original = app.view_functions[endpoint]
    app.view_functions[endpoint] = view
    try:
        yield
    finally:
        app.view_functions[endpoint] = original


def _rename_then(failure):
    def view(meeting_id: int):
        meeting = db.session.get(Meeting, meeting_id)
        meeting.title = "Zmieniony tytuł, który nie powinien zostać"
        db.session.flush()
        return failure()

    return view


def _duplicate_programme_year():
    """Two programmes for one year, past every check of the services: the database's
    unique key is the last word."""
    from app.programmes.models import Programme

    for _ in range(2):
        db.session.add(
            Programme(kind="annual", year_from=2031, year_to=2031, title="Program na 2031 rok")
        )
    db.session.flush()


def _stale():
    raise StaleDataError("UPDATE statement on table 'meetings' expected to update 1 row(s)")


def _abort_404():
    abort(404)


def _form_error():
    return "niepoprawne dane", 422


def _title(tenants, meeting_id: int) -> str:
    with tenant_scope(tenants["leszno"].id):
        return db.session.scalar(select(Meeting.title).where(Meeting.id == meeting_id))


FAILURES = {
    "duplicate (IntegrityError)": (_duplicate_programme_year, 409),
    "lost update (StaleDataError)": (_stale, 409),
    "not found": (_abort_404, 404),
    "form errors": (_form_error, 422),
}


@pytest.mark.parametrize("failure", FAILURES, ids=list(FAILURES))
def test_a_failing_request_saves_nothing_and_answers_with_the_styled_page(
    app, client, tenants, failure
):
    meeting_id = factories.meeting(tenants["leszno"])
    before = _title(tenants, meeting_id)
    raise_it, status = FAILURES[failure]
    with view_replaced(app, "meetings.show", _rename_then(raise_it)):
        response = client.get(f"/leszno/meetings/{meeting_id}")
    assert response.status_code == status
    assert _title(tenants, meeting_id) == before
    if status != 422:  # the view's own answer is its own; errors get the layout
        page = response.get_data(as_text=True)
        assert '<html lang="pl"' in page and 'class="site-footer"' in page


def test_a_conflict_says_what_happened_in_polish_and_in_the_api_as_problem_json(
    app, client, tenants
):
    meeting_id = factories.meeting(tenants["leszno"])
    with view_replaced(app, "meetings.show", _rename_then(_duplicate_programme_year)):
        page = client.get(f"/leszno/meetings/{meeting_id}").get_data(as_text=True)
    assert "Taki wpis już istnieje." in page

    endpoint = "api_meetings.MeetingRecord"

    def stale_api_view(**kwargs):
        raise StaleDataError("lost update")

    with view_replaced(app, endpoint, stale_api_view):
        response = client.get(f"/api/v1/tenants/leszno/meetings/{meeting_id}")
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == 409 and response.json["detail"]


def test_a_successful_request_commits_once_and_then_hands_over_its_jobs(
    app, client, make_user, tenants
):
    """The job is handed over after the commit, so the worker sees what the request saved."""
    make_user("a.szymanska@leszno.pl", leszno="admin")
    from tests.conftest import log_in, post_form

    log_in(client, "a.szymanska@leszno.pl")
    job_url = post_form(client, "/leszno/audit/export").location
    page = client.get(job_url)
    assert page.status_code == 200
    assert client.get(job_url + "/download").status_code == 200
    assert g.get("tenant") is None  # the test's own context never saw the request's tenant


def test_a_save_that_loses_the_race_to_the_database_keeps_the_persons_text(
    app, client, make_user, tenants, owner, monkeypatch
):
    """The version check passes, then someone else's save lands before ours is flushed: the
    database refuses ours (StaleDataError) and the person gets the same 409 as the check
    gives, with what they wrote still in the form."""
    from sqlalchemy import text

    from app import unit_of_work
    from tests.conftest import log_in
    from tests.sweeps import as_a_browser_submits, forms_posting_to

    meeting_id = factories.meeting(tenants["leszno"])
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    url = f"/leszno/meetings/{meeting_id}/edit"
    (form,) = forms_posting_to(client.get(url).get_data(as_text=True), url)
    data = as_a_browser_submits(form)
    data["goal"] = "Cel zapisany przez Barbarę"

    def someone_else_saves_meanwhile(record, expected_version, message=None):
        with owner.begin() as connection:
            connection.execute(
                text("UPDATE meetings SET lock_version = lock_version + 1 WHERE id = :id"),
                {"id": meeting_id},
            )

    monkeypatch.setattr(unit_of_work, "check_version", someone_else_saves_meanwhile)
    response = client.post(url, data=data)
    assert response.status_code == 409
    assert "Cel zapisany przez Barbarę" in response.get_data(as_text=True)
    with owner.connect() as connection:
        goal = connection.scalar(
            text("SELECT goal FROM meetings WHERE id = :id"), {"id": meeting_id}
        )
    assert goal != "Cel zapisany przez Barbarę"
