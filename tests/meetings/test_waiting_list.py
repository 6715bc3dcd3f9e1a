"""The confirmation of a place carries the meeting for the calendar (.ics) and the link that
cancels; a cancelled place goes, once, to the first person on the waiting list, who is told
with the same."""

from __future__ import annotations

import re
import threading
from datetime import time, timedelta

from icalendar import Calendar
from sqlalchemy import select

from app import unit_of_work
from app.extensions import db
from app.meetings import registration
from app.meetings.models import EventRegistration, Meeting
from app.notifications.models import Notification
from app.tenancy.context import acting_as, tenant_scope
from tests import factories
from tests.conftest import Mailbox, log_in, post_form
from tests.meetings.conftest import next_month
from tests.meetings.test_registration import _register

PL = {"Accept-Language": "pl"}
PLACE = "Urząd Miasta Żyrardowa, pl. Jana Pawła II 1, sala nr 12"


def _at_ten_in_the_town_hall(tenants, meeting_id: int) -> None:
    with tenant_scope(tenants["zyrardow"].id):
        meeting = db.session.get(Meeting, meeting_id)
        meeting.starts_at, meeting.ends_at, meeting.place = time(10), time(13, 30), PLACE
        meeting.online_url = None
        db.session.commit()


def _calendar_of(message) -> Calendar:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "the e-mail carries one .ics"
    assert parts[0].get_filename().endswith(".ics")
    return Calendar.from_ical(parts[0].get_content())


def _statuses(tenants) -> dict[str, str]:
    with tenant_scope(tenants["zyrardow"].id):
        db.session.expire_all()
        return {r.email: r.status for r in db.session.scalars(select(EventRegistration))}


def test_the_confirmation_carries_the_meeting_for_the_calendar_and_the_cancel_link(
    client, study_visit, tenants, mailbox
):
    _at_ten_in_the_town_hall(tenants, study_visit)
    _register(client, study_visit, "Jan Kowalski", "jan@dzialajmy.example.org", mailbox)
    _register(client, study_visit, "Ewa Nowak", "ewa@dzialajmy.example.org", mailbox)

    uids = set()
    for address in ("jan@dzialajmy.example.org", "ewa@dzialajmy.example.org"):
        confirmation = mailbox.last_to(address)
        (event,) = _calendar_of(confirmation).walk("VEVENT")
        start = event.decoded("dtstart")
        assert (start.tzinfo.key, start.hour, start.minute) == ("Europe/Warsaw", 10, 0)
        assert start.date() == next_month()
        assert str(event["summary"]) == "Wizyta studyjna online: dobre praktyki z Gdańska i Sopotu"
        assert str(event["location"]) == PLACE
        uids.add(str(event["uid"]))
        assert "/zyrardow/registrations/cancel/" in Mailbox.text_of(confirmation)
    assert uids == {f"meeting-{study_visit}@zyrardow.razem"}  # one entry in any calendar


def test_the_first_waiting_person_gets_the_freed_place_and_is_told_with_the_ics(
    client, make_user, study_visit, tenants, mailbox
):
    _at_ten_in_the_town_hall(tenants, study_visit)
    piotr = make_user("piotr.zielinski@dzialajmy.example.org", name="Piotr Zieliński")
    _, jan_token = factories.event_registration(
        tenants["zyrardow"], "jan@dzialajmy.example.org", meeting_id=study_visit
    )
    factories.event_registration(tenants["zyrardow"], meeting_id=study_visit)
    for address in ("piotr.zielinski@dzialajmy.example.org", "anna@example.org"):
        factories.event_registration(
            tenants["zyrardow"], address, meeting_id=study_visit, status="waiting"
        )

    post_form(client, f"/zyrardow/registrations/cancel/{jan_token}")

    assert _statuses(tenants)["piotr.zielinski@dzialajmy.example.org"] == "confirmed"
    assert _statuses(tenants)["anna@example.org"] == "waiting"
    told = mailbox.last_to("piotr.zielinski@dzialajmy.example.org")
    assert "Zwolniło się miejsce" in told["Subject"]  # in Polish, the person's default
    (event,) = _calendar_of(told).walk("VEVENT")
    assert str(event["uid"]) == f"meeting-{study_visit}@zyrardow.razem"
    with acting_as(piotr.id):
        in_razem = db.session.scalars(select(Notification.kind)).all()
    assert in_razem == ["place_freed"]

    # the link of this e-mail cancels the place, and it goes to the next person in turn
    cancel = re.search(r"http://localhost(/\S+/registrations/cancel/\S+)", Mailbox.text_of(told))
    post_form(client, cancel.group(1))
    assert _statuses(tenants)["piotr.zielinski@dzialajmy.example.org"] == "cancelled"
    assert _statuses(tenants)["anna@example.org"] == "confirmed"
    without_account = mailbox.last_to("anna@example.org")
    assert _calendar_of(without_account).walk("VEVENT")
    assert "/zyrardow/registrations/cancel/" in Mailbox.text_of(without_account)


def test_a_person_promoted_sees_it_among_their_notifications(
    client, make_user, study_visit, tenants
):
    make_user("piotr.zielinski@dzialajmy.example.org", name="Piotr Zieliński")
    _, token = factories.event_registration(tenants["zyrardow"], meeting_id=study_visit)
    factories.event_registration(
        tenants["zyrardow"],
        "piotr.zielinski@dzialajmy.example.org",
        meeting_id=study_visit,
        status="waiting",
    )
    post_form(client, f"/zyrardow/registrations/cancel/{token}")

    log_in(client, "piotr.zielinski@dzialajmy.example.org")
    page = client.get("/notifications", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert "Zwolniło się miejsce" in page
    assert "/zyrardow/registrations/mine" in page


def test_a_place_freed_twice_at_once_is_given_once(app, study_visit, tenants, mailbox):
    """The same cancellation sent twice at the same moment (a double click, or the e-mail's
    link and "my registrations" together) promotes one waiting person, not two."""
    jan = factories.event_registration(tenants["zyrardow"], meeting_id=study_visit)[0].id
    factories.event_registration(tenants["zyrardow"], meeting_id=study_visit)
    for address in ("piotr@example.org", "anna@example.org"):
        factories.event_registration(
            tenants["zyrardow"], address, meeting_id=study_visit, status="waiting"
        )
    both_loaded = threading.Barrier(2)
    errors: list[BaseException] = []

    def cancel() -> None:
        try:
            with app.test_request_context(), tenant_scope(tenants["zyrardow"].id):
                record = db.session.get(EventRegistration, jan)
                meeting = db.session.get(Meeting, study_visit)
                assert record.status == "confirmed"
                both_loaded.wait(timeout=10)
                registration.cancel(record, meeting, "zyrardow")
                unit_of_work.commit()
                db.session.remove()
        except BaseException as error:  # reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=cancel) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    statuses = _statuses(tenants)
    assert (statuses["piotr@example.org"], statuses["anna@example.org"]) == ("confirmed", "waiting")
    assert [m["To"] for m in mailbox.messages] == ["piotr@example.org"]


def test_the_organiser_removes_a_registration_and_the_place_goes_to_the_waiting_list(
    client, make_user, study_visit, tenants, mailbox
):
    make_user("k.lis@zyrardow.pl", name="Katarzyna Lis", zyrardow="staff")
    make_user("jan@dzialajmy.example.org", name="Jan Kowalski")
    jan = factories.event_registration(
        tenants["zyrardow"], "jan@dzialajmy.example.org", meeting_id=study_visit
    )[0].id
    factories.event_registration(tenants["zyrardow"], meeting_id=study_visit)
    factories.event_registration(
        tenants["zyrardow"], "piotr@example.org", meeting_id=study_visit, status="waiting"
    )
    remove = f"/zyrardow/meetings/{study_visit}/registrations/{jan}/remove"

    log_in(client, "jan@dzialajmy.example.org")  # a registrant cancels their own, not others'
    assert post_form(client, remove).status_code == 403
    post_form(client, "/logout")

    log_in(client, "k.lis@zyrardow.pl")
    listing = client.get(f"/zyrardow/meetings/{study_visit}/registrations", headers=PL)
    assert remove in listing.get_data(as_text=True)
    removed = post_form(client, remove, follow_redirects=True, headers=PL)
    assert "Usunięto zgłoszenie: Jan Kowalski." in removed.get_data(as_text=True)
    assert _statuses(tenants)["jan@dzialajmy.example.org"] == "cancelled"
    assert _statuses(tenants)["piotr@example.org"] == "confirmed"
    assert _calendar_of(mailbox.last_to("piotr@example.org")).walk("VEVENT")

    again = post_form(client, remove, follow_redirects=True, headers=PL)
    assert "To zgłoszenie zostało już odwołane." in again.get_data(as_text=True)
    assert [m["To"] for m in mailbox.messages] == ["piotr@example.org"]


def test_places_added_by_the_organiser_go_to_the_waiting_list_in_its_order(
    client, make_user, study_visit, tenants, mailbox
):
    make_user("k.lis@zyrardow.pl", name="Katarzyna Lis", zyrardow="staff")
    for address in ("jan@dzialajmy.example.org", "ewa@example.org"):  # the two places taken
        factories.event_registration(tenants["zyrardow"], address, meeting_id=study_visit)
    waiting = ("piotr@example.org", "anna@example.org", "marek@example.org")
    for address in waiting:
        factories.event_registration(
            tenants["zyrardow"], address, meeting_id=study_visit, status="waiting"
        )

    log_in(client, "k.lis@zyrardow.pl")
    settings = {
        "registration_open": "y",
        "capacity": "4",
        "registration_deadline": (next_month() - timedelta(days=3)).isoformat(),
        "attendance_mode": "online",
        "questions": "Jaką organizację lub instytucję Pan/Pani reprezentuje?",
    }
    post_form(client, f"/zyrardow/meetings/{study_visit}/registration-settings", settings)

    statuses = _statuses(tenants)
    assert [statuses[address] for address in waiting] == ["confirmed", "confirmed", "waiting"]
    told = [m["To"] for m in mailbox.messages]
    assert told == ["piotr@example.org", "anna@example.org"]
    assert _calendar_of(mailbox.last_to("anna@example.org")).walk("VEVENT")

    post_form(client, f"/zyrardow/meetings/{study_visit}/registration-settings", settings)
    assert len(mailbox.messages) == 2, "saved again unchanged: nobody is told twice"
