"""Decisions are followed up: the responsible person's list and e-mail reminders sent by a
real worker before the deadline."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.meetings.models import Decision
from app.tenancy.context import tenant_scope
from tests.conftest import PASSWORD, csrf_secret, csrf_secrets, log_in, post_form


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


def _meeting_with_decisions(client) -> int:
    staff = _bearer(client, "b.grygier@leszno.pl")
    return client.post(
        "/api/v1/tenants/leszno/meetings",
        headers=staff,
        json={
            "title": "Spotkanie z organizacjami",
            "held_on": "2023-07-13",
            "decisions": [
                {
                    "text": "Uprościć definicję zasady zrównoważonego rozwoju.",
                    "responsible": "Barbara Grygier",
                    "responsible_email": "b.grygier@leszno.pl",
                    "due_on": "2023-07-20",
                },
                {
                    "text": "Przekazać propozycje do komórek Urzędu.",
                    "responsible": "Anna Szymańska",
                    "responsible_email": "a.szymanska@leszno.pl",
                    "due_on": "2023-09-30",
                },
                {"text": "Ustalenie bez terminu."},
            ],
        },
    ).json["id"]


def test_open_decisions_list_and_marking_done(client, make_user, tenants):
    make_user("b.grygier@leszno.pl", leszno="staff")
    _meeting_with_decisions(client)
    log_in(client, "b.grygier@leszno.pl")
    mine = client.get("/leszno/decisions?mine=1").get_data(as_text=True)
    assert "Uprościć definicję" in mine and "Przekazać propozycje" not in mine
    with tenant_scope(tenants["leszno"].id):
        decision_id = db.session.scalar(
            select(Decision.id).where(Decision.responsible_email == "b.grygier@leszno.pl")
        )
    post_form(client, f"/leszno/decisions/{decision_id}/done")
    assert "Uprościć definicję" not in client.get("/leszno/decisions").get_data(as_text=True)


def test_the_office_shares_the_list_of_all_but_each_one_their_own(app, make_user):
    """The list of all is kept for the office (office_fragment), with each reader's token;
    one person's own list is never kept for another."""
    make_user("b.grygier@leszno.pl", leszno="staff")
    make_user("a.szymanska@leszno.pl", leszno="admin")
    me, them = app.test_client(), app.test_client()
    _meeting_with_decisions(me)
    log_in(me, "b.grygier@leszno.pl")
    log_in(them, "a.szymanska@leszno.pl")
    me.get("/leszno/decisions")  # rendered, and kept
    me.get("/leszno/decisions?mine=1")

    every = them.get("/leszno/decisions").get_data(as_text=True)
    theirs = them.get("/leszno/decisions?mine=1").get_data(as_text=True)

    assert csrf_secrets(app, every) == {csrf_secret(app, them)}
    assert "Przekazać propozycje" in theirs and "Uprościć definicję" not in theirs


def test_reminders_go_out_through_a_real_worker_once_a_day(
    app, client, make_user, tenants, redis_queue, mailbox
):
    make_user("b.grygier@leszno.pl", leszno="staff")
    _meeting_with_decisions(client)
    runner = app.test_cli_runner()
    with redis_queue():
        assert runner.invoke(args=["reminders", "send", "--today", "2023-07-18"]).exit_code == 0
    redis_queue.run_worker()
    reminder = mailbox.last_to("b.grygier@leszno.pl")
    assert "20.07.2023" in reminder["Subject"]
    assert "Uprościć definicję zasady zrównoważonego rozwoju." in reminder.get_content()
    assert [m["To"] for m in mailbox.messages] == ["b.grygier@leszno.pl"]  # the other is later
    with redis_queue():
        runner.invoke(args=["reminders", "send", "--today", "2023-07-18"])
    redis_queue.run_worker()
    assert len(mailbox.messages) == 1  # not twice on the same day
    with tenant_scope(tenants["leszno"].id):
        reminded = db.session.scalar(
            select(Decision.reminded_on).where(Decision.responsible_email == "b.grygier@leszno.pl")
        )
    assert reminded == date(2023, 7, 18)
