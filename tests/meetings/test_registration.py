"""Events people register for: capacity and the waiting list, cancellation by the link in
the confirmation, the organiser's export, the reminder the day before."""

from __future__ import annotations

import re
from datetime import timedelta

import tablib
from sqlalchemy import select

from app.extensions import db
from app.meetings.models import EventRegistration, Meeting
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import Mailbox, log_in, post_form
from tests.meetings.conftest import next_month

PL = {"Accept-Language": "pl"}


def _register(client, meeting_id: int, name: str, email: str, mailbox=None):
    """Register through the page; with the mailbox, also follow the link that confirms the
    address (the city does not know these addresses)."""
    response = post_form(
        client,
        f"/zyrardow/meetings/{meeting_id}/register",
        {
            "name": name,
            "email": email,
            "organisation": "DZIAŁAJ.MY",
            "answer-0": "Federacja organizacji społecznych",
        },
        follow_redirects=True,
        headers={"Accept-Language": "en"},
    )
    if mailbox is None or mailbox.last_to(email.lower()) is None:
        return response
    return confirm(client, mailbox.link_in(mailbox.last_to(email.lower())))


def confirm(client, link: str):
    path = link.removeprefix("http://localhost")
    assert client.get(path).status_code == 200
    return post_form(client, path, follow_redirects=True, headers={"Accept-Language": "en"})


def _statuses(tenants) -> dict[str, str]:
    with tenant_scope(tenants["zyrardow"].id):
        db.session.expire_all()
        return {r.email: r.status for r in db.session.scalars(select(EventRegistration))}


def test_capacity_then_waiting_list_then_a_freed_place(client, study_visit, tenants, mailbox):
    _register(client, study_visit, "Jan Kowalski", "jan@dzialajmy.example.org", mailbox)
    _register(client, study_visit, "Ewa Nowak", "ewa@dzialajmy.example.org", mailbox)
    third = _register(client, study_visit, "Piotr Zieliński", "piotr@example.org", mailbox)
    assert "you are on the waiting list" in third.get_data(as_text=True)
    assert _statuses(tenants) == {
        "jan@dzialajmy.example.org": "confirmed",
        "ewa@dzialajmy.example.org": "confirmed",
        "piotr@example.org": "waiting",
    }
    assert "liście rezerwowej" in mailbox.last_to("piotr@example.org")["Subject"]  # in Polish
    twice = _register(client, study_visit, "Jan Kowalski", "JAN@dzialajmy.example.org")
    assert "already registered" in twice.get_data(as_text=True)

    confirmation = mailbox.last_to("jan@dzialajmy.example.org")
    cancel = re.search(
        r"http://localhost(/\S+/registrations/cancel/\S+)", Mailbox.text_of(confirmation)
    ).group(1)
    post_form(client, cancel)
    assert _statuses(tenants)["jan@dzialajmy.example.org"] == "cancelled"
    assert _statuses(tenants)["piotr@example.org"] == "confirmed"  # promoted
    assert mailbox.last_to("piotr@example.org") is not None
    used = client.get(cancel, headers={"Accept-Language": "pl"})
    assert used.status_code == 410
    assert "To zgłoszenie zostało już odwołane." in used.get_data(as_text=True)


def test_a_cancellation_link_that_cancels_nothing_says_why(client, study_visit, tenants):
    unknown = client.get("/zyrardow/registrations/cancel/nie-ma-takiego", headers=PL)
    assert unknown.status_code == 404
    assert "Ten link do odwołania zgłoszenia jest nieprawidłowy" in unknown.get_data(as_text=True)

    with tenant_scope(tenants["zyrardow"].id):
        db.session.get(Meeting, study_visit).held_on = clock.today() - timedelta(days=3)
        db.session.commit()
    _, token = factories.event_registration(tenants["zyrardow"], meeting_id=study_visit)
    past = client.get(f"/zyrardow/registrations/cancel/{token}", headers=PL)
    assert past.status_code == 410
    assert "Spotkanie już się odbyło" in past.get_data(as_text=True)


def test_a_person_sees_their_registrations_and_cancels_one(client, make_user, study_visit, tenants):
    make_user("jan@dzialajmy.example.org", name="Jan Kowalski")
    mine = factories.event_registration(
        tenants["zyrardow"], "Jan@DZIALAJMY.example.org", meeting_id=study_visit
    )[0].id
    someone_elses = factories.event_registration(tenants["zyrardow"], meeting_id=study_visit)[0]
    other, other_address = someone_elses.id, someone_elses.email
    log_in(client, "jan@dzialajmy.example.org")

    page = client.get("/zyrardow/registrations/mine").get_data(as_text=True)
    assert f"/zyrardow/registrations/{mine}/cancel" in page
    assert f"/zyrardow/registrations/{other}/cancel" not in page

    assert post_form(client, f"/zyrardow/registrations/{other}/cancel").status_code == 404
    post_form(client, f"/zyrardow/registrations/{mine}/cancel")
    assert _statuses(tenants) == {
        "Jan@DZIALAJMY.example.org": "cancelled",
        other_address: "confirmed",
    }


def test_the_form_is_filled_in_for_a_logged_in_person(client, make_user, study_visit):
    make_user("ewa@dzialajmy.example.org", name="Ewa Nowak")
    log_in(client, "ewa@dzialajmy.example.org")

    page = client.get(f"/zyrardow/meetings/{study_visit}").get_data(as_text=True)

    assert 'value="Ewa Nowak"' in page and 'value="ewa@dzialajmy.example.org"' in page


def test_an_event_ahead_is_announced_not_its_minutes_published(
    client, make_user, study_visit, tenants
):
    draft = factories.meeting(tenants["zyrardow"], published=False)
    with tenant_scope(tenants["zyrardow"].id):
        db.session.get(Meeting, draft).held_on = next_month()
        db.session.commit()
    make_user("organizator@zyrardow.pl", zyrardow="staff")
    log_in(client, "organizator@zyrardow.pl")

    page = client.get(f"/zyrardow/meetings/{draft}", headers=PL).get_data(as_text=True)
    assert "Ogłoś wydarzenie" in page and "Opublikuj protokół" not in page
    announced = post_form(
        client, f"/zyrardow/meetings/{draft}/publish", follow_redirects=True, headers=PL
    )
    assert "Wydarzenie zostało ogłoszone" in announced.get_data(as_text=True)


def test_registration_closes_after_the_deadline(client, study_visit, tenants):
    with tenant_scope(tenants["zyrardow"].id):
        db.session.get(Meeting, study_visit).registration_deadline = clock.today() - timedelta(1)
        db.session.commit()
    response = _register(client, study_visit, "Jan Kowalski", "jan@example.org")
    assert "Registration for this meeting is closed." in response.get_data(as_text=True)
    assert _statuses(tenants) == {}


def test_organiser_exports_the_registrations(client, make_user, study_visit, mailbox):
    _register(client, study_visit, "Jan Kowalski", "jan@dzialajmy.example.org", mailbox)
    make_user("organizator@zyrardow.pl", zyrardow="staff")
    log_in(client, "organizator@zyrardow.pl")
    assert "Jan Kowalski" in client.get(f"/zyrardow/meetings/{study_visit}/registrations").get_data(
        as_text=True
    )
    job_url = post_form(
        client,
        f"/zyrardow/meetings/{study_visit}/export",
        {"document": "registrations", "file_format": "xlsx"},
    ).location
    sheet = tablib.Dataset().load(client.get(job_url + "/download").get_data(), format="xlsx")
    row = dict(zip(sheet.headers, sheet[0], strict=True))
    assert row["E-mail"] == "jan@dzialajmy.example.org"
    assert (
        row["Jaką organizację lub instytucję Pan/Pani reprezentuje?"]
        == "Federacja organizacji społecznych"
    )


def test_registrants_are_reminded_the_day_before(app, client, study_visit, redis_queue, mailbox):
    _register(client, study_visit, "Jan Kowalski", "jan@dzialajmy.example.org", mailbox)
    mailbox.clear()
    day_before = (next_month() - timedelta(days=1)).isoformat()
    with redis_queue():
        app.test_cli_runner().invoke(args=["reminders", "send", "--today", day_before])
    redis_queue.run_worker()
    reminder = mailbox.last_to("jan@dzialajmy.example.org")
    assert "Wizyta studyjna online" in reminder["Subject"]
    assert "https://spotkanie.example.org/wizyta" in reminder.get_content()


def test_registration_and_teams_through_the_api(client, study_visit, tenants, mailbox):
    url = f"/api/v1/tenants/zyrardow/meetings/{study_visit}/registrations"
    body = {
        "name": "Jan Kowalski",
        "email": "jan@dzialajmy.example.org",
        "answers": ["Federacja organizacji społecznych"],
    }
    created = client.post(url, json=body)
    assert created.status_code == 201 and created.json["status"] == "unconfirmed"
    confirm(client, mailbox.link_in(mailbox.last_to(body["email"])))
    assert _statuses(tenants) == {body["email"]: "confirmed"}
    again = client.post(url, json=body)
    assert again.status_code == 422
    assert again.json["detail"] == "Ten adres e-mail jest już zarejestrowany."
    assert client.get(url).status_code == 401  # the list is the organiser's
    factories.team(tenants["zyrardow"])
    teams = client.get("/api/v1/tenants/zyrardow/teams").json
    assert teams[0]["members"][0]["role"] == "moderator"
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for suffix in (
        "/meetings",
        "/meetings/{meeting_id}",
        "/meetings/{meeting_id}/registrations",
        "/teams",
        "/decisions",
    ):
        assert f"/api/v1/tenants/{{tenant_slug}}{suffix}" in paths


def test_a_closed_registration_says_so(client, study_visit, tenants):
    with tenant_scope(tenants["zyrardow"].id):
        db.session.get(Meeting, study_visit).registration_open = False
        db.session.commit()
    url = f"/api/v1/tenants/zyrardow/meetings/{study_visit}/registrations"
    closed = client.post(url, json={"name": "Jan Kowalski", "email": "jan@example.org"})
    assert closed.status_code == 410
    assert closed.json["title"] == "Termin na to minął albo jeszcze nie nadszedł."
    assert closed.json["detail"] == "Rejestracja na to spotkanie jest zamknięta."
