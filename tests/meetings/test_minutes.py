"""Minutes: seed 000 recorded through the API and read back field by field, the PDF laid out
like the original, optimistic locking, inert Markdown, attachments, publication."""

from __future__ import annotations

import io
import re
from datetime import date

from icalendar import Calendar
from pypdf import PdfReader

from app.demo.meetings import LESZNO_13_07_2023
from tests import factories
from tests.conftest import PASSWORD, log_in, post_form


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


def _as_json(value):
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "strftime"):
        return value.strftime("%H:%M:%S")
    return value


SEED_000 = _as_json(LESZNO_13_07_2023)


def test_seed_000_round_trip_through_the_api_and_into_the_pdf(client, make_user):
    make_user("b.grygier@leszno.pl", leszno="staff")
    staff = _bearer(client, "b.grygier@leszno.pl")
    created = client.post("/api/v1/tenants/leszno/meetings", json=SEED_000, headers=staff)
    assert created.status_code == 201, created.json
    record = client.get(f"/api/v1/tenants/leszno/meetings/{created.json['id']}", headers=staff).json
    for field, value in SEED_000.items():
        if field == "decisions":
            assert [
                {k: d[k] for k in ("text", "responsible", "due_on")} for d in record[field]
            ] == [{k: d.get(k) for k in ("text", "responsible", "due_on")} for d in value]
        elif field == "groups" or field == "agenda":
            assert record[field] == [
                {**row, **({"speakers": row["speakers"]} if "speakers" in row else {})}
                for row in value
            ], field
        elif field == "swot":
            assert record[field] == [{**row, "group": ""} for row in value]
        else:
            assert record[field] == value, field

    log_in(client, "b.grygier@leszno.pl")
    job_url = post_form(
        client, f"/leszno/meetings/{created.json['id']}/export", {"file_format": "pdf"}
    ).location
    pdf = PdfReader(io.BytesIO(client.get(job_url + "/download").get_data()))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    for expected in (
        "PROTOKÓŁ ZE SPOTKANIA",
        "Data: 13.07.2023 r.",
        "Godzina: 12:00 – 14:00",
        "Prowadzący: Anna Szymańska",
        "Ad. 1",
        "Ad. 2",
        "Ad. 3",
        "Helena Strzałkowska (Stowarzyszenie „Nasza Alternatywa”)",
        "17 osób",
        "zasady zrównoważonego rozwoju wymaga uproszczenia",
        "Mocne strony",
        "Sporządził: Barbara Grygier",
        "Data: 14.07.2023 r.",
    ):
        assert expected in text, expected


def test_second_save_of_the_same_minutes_is_refused_and_kept(client, make_user, tenants):
    meeting_id = factories.meeting(tenants["leszno"])
    make_user("b.grygier@leszno.pl", leszno="staff")
    staff = _bearer(client, "b.grygier@leszno.pl")
    url = f"/api/v1/tenants/leszno/meetings/{meeting_id}"
    version = client.get(url, headers=staff).json["version"]
    first = client.patch(
        url, json={"version": version, "goal": "Cel według Barbary."}, headers=staff
    )
    assert first.status_code == 200
    second = client.patch(url, json={"version": version, "goal": "Cel według Anny."}, headers=staff)
    assert second.status_code == 409
    assert client.get(url, headers=staff).json["goal"] == "Cel według Barbary."

    log_in(client, "b.grygier@leszno.pl")
    page = client.get(f"/leszno/meetings/{meeting_id}/edit").get_data(as_text=True)
    opened = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    post_form(
        client,
        f"/leszno/meetings/{meeting_id}/edit",
        {
            "version": opened,
            "title": "Spotkanie",
            "held_on": "2023-07-13",
            "goal": "Pierwszy zapis.",
        },
    )
    conflict = post_form(
        client,
        f"/leszno/meetings/{meeting_id}/edit",
        {
            "version": opened,
            "title": "Spotkanie",
            "held_on": "2023-07-13",
            "goal": "Drugi zapis, którego nie wolno zgubić.",
        },
    )
    assert conflict.status_code == 409
    assert "Drugi zapis, którego nie wolno zgubić." in conflict.get_data(as_text=True)


def test_markdown_with_a_script_is_rendered_inert(client, make_user):
    make_user("b.grygier@leszno.pl", leszno="staff")
    staff = _bearer(client, "b.grygier@leszno.pl")
    created = client.post(
        "/api/v1/tenants/leszno/meetings",
        headers=staff,
        json={
            "title": "Spotkanie",
            "held_on": "2023-07-13",
            "agenda": [
                {
                    "title": "Ad",
                    "minutes": "**Ważne** <script>alert('x')</script> [link](javascript:alert(1))",
                }
            ],
        },
    )
    log_in(client, "b.grygier@leszno.pl")
    page = client.get(f"/leszno/meetings/{created.json['id']}").get_data(as_text=True)
    assert "<strong>Ważne</strong>" in page
    assert "<script>alert" not in page and 'href="javascript:' not in page


def test_drafts_are_staff_only_and_published_minutes_are_public(client, tenants):
    draft = factories.meeting(tenants["leszno"], published=False)
    published = factories.meeting(tenants["leszno"])
    assert client.get(f"/leszno/meetings/{draft}").status_code == 404
    assert client.get(f"/leszno/meetings/{published}").status_code == 200
    assert client.get(f"/api/v1/tenants/leszno/meetings/{draft}").status_code == 404


def test_a_correction_keeps_the_earlier_text_visible(client, make_user, tenants):
    meeting_id = factories.meeting(tenants["leszno"])
    make_user("b.grygier@leszno.pl", leszno="staff")
    staff = _bearer(client, "b.grygier@leszno.pl")
    url = f"/api/v1/tenants/leszno/meetings/{meeting_id}"
    version = client.get(url, headers=staff).json["version"]
    client.patch(
        url,
        headers=staff,
        json={
            "version": version,
            "agenda": [{"title": "Omówienie zagadnień", "minutes": "Poprawiony zapis."}],
        },
    )
    log_in(client, "b.grygier@leszno.pl")
    post_form(client, f"/leszno/meetings/{meeting_id}/publish", {"note": "literówka"})
    post_form(client, "/logout")
    page = client.get(f"/leszno/meetings/{meeting_id}").get_data(as_text=True)
    assert "Poprawiony zapis." in page
    earlier = client.get(f"/leszno/meetings/{meeting_id}/versions/1").get_data(as_text=True)
    assert "Ad. 1" in earlier and "Poprawiony zapis." not in earlier


def test_attachments_are_checked_by_content_and_size(client, make_user, tenants, app):
    meeting_id = factories.meeting(tenants["leszno"])
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    url = f"/leszno/meetings/{meeting_id}/attachments"

    def upload(data: bytes, name: str):
        return post_form(
            client,
            url,
            {"title": "lista obecności", "file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
            follow_redirects=True,
            headers={"Accept-Language": "en"},
        ).get_data(as_text=True)

    assert "its content was checked" in upload(b"<html><script>x</script></html>", "lista.pdf")
    app.config["MAX_UPLOAD_BYTES"] = 2**20
    try:
        too_large = upload(b"%PDF-1.4\n" + b"0" * (2**20 + 1), "skan.pdf")
    finally:
        app.config.pop("MAX_UPLOAD_BYTES")
    assert "The file is larger than 1 MB." in too_large
    page = upload(b"%PDF-1.4\n%%EOF", "lista podpisana.pdf")
    assert "The file has been attached." in page
    link = re.search(r'href="(/leszno/meeting-attachments/\d+)"', page).group(1)
    assert client.get(link).get_data() == b"%PDF-1.4\n%%EOF"


def test_every_meeting_has_an_ics_and_the_city_a_feed(client, tenants):
    meeting_id = factories.meeting(tenants["leszno"])
    event = Calendar.from_ical(
        client.get(f"/leszno/meetings/{meeting_id}/meeting.ics").get_data()
    ).walk("VEVENT")[0]
    assert str(event["summary"]) == "Spotkanie z organizacjami pozarządowymi"
    feed = Calendar.from_ical(client.get("/leszno/calendar.ics").get_data())
    assert len(feed.walk("VEVENT")) == 1


def test_search_across_minutes_ignores_diacritics(client, tenants, make_user):
    factories.meeting(tenants["leszno"])
    page = client.get("/leszno/meetings?q=zagadnien+organizacjami").get_data(as_text=True)
    assert "Spotkanie z organizacjami pozarządowymi" in page
    nothing = client.get("/leszno/meetings?q=budzet").get_data(as_text=True)
    assert "Spotkanie z organizacjami pozarządowymi" not in nothing


def test_printable_attendance_sheet(client, make_user):
    make_user("b.grygier@leszno.pl", leszno="staff")
    staff = _bearer(client, "b.grygier@leszno.pl")
    created = client.post(
        "/api/v1/tenants/leszno/meetings",
        headers=staff,
        json={
            "title": "Spotkanie konsultacyjne",
            "held_on": "2023-10-12",
            "attendees": [
                {"name": "Hanna Hendrysiak", "organisation": "Stowarzyszenie „ECHO”"},
                {"name": "Anna Szymańska", "organisation": "Urząd Miasta Leszna", "official": True},
            ],
        },
    )
    log_in(client, "b.grygier@leszno.pl")
    job_url = post_form(
        client,
        f"/leszno/meetings/{created.json['id']}/export",
        {"document": "attendance_sheet", "file_format": "pdf"},
    ).location
    pdf = PdfReader(io.BytesIO(client.get(job_url + "/download").get_data()))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "LISTA OBECNOŚCI" in text and "Podpis" in text
    assert "Hanna Hendrysiak" in text and "Stowarzyszenie „ECHO”" in text
    # counted from the attendance list: one person of one organisation, one official
    page = client.get(
        f"/leszno/meetings/{created.json['id']}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "1 person took part representing 1 organisation, and 1 official." in page


def test_attendees_are_linked_to_the_citys_registered_organisations(client, make_user, tenants):
    from sqlalchemy import select

    from app.extensions import db
    from app.meetings.models import Attendee
    from app.tenancy.context import tenant_scope

    echo = factories.organisation("Stowarzyszenie „ECHO”", short_name="ECHO")
    factories.registration(tenants["leszno"], echo)
    make_user("b.grygier@leszno.pl", leszno="staff")
    staff = _bearer(client, "b.grygier@leszno.pl")
    client.post(
        "/api/v1/tenants/leszno/meetings",
        headers=staff,
        json={
            "title": "Spotkanie",
            "held_on": "2023-07-13",
            "attendees": [
                {"name": "Hanna Hendrysiak", "organisation": "stowarzyszenie ECHO"},
                {"name": "Gość", "organisation": "Koło Przyjaciół Nieznanych"},
            ],
        },
    )
    with tenant_scope(tenants["leszno"].id):
        linked = dict(db.session.execute(select(Attendee.name, Attendee.organisation_id)).all())
    assert linked == {"Hanna Hendrysiak": echo.id, "Gość": None}
