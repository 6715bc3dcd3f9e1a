"""The meeting's page's actions over the API: publishing, the registration settings, an
attachment checked by its content, removing a registration and marking a decision done.
The same policy as the page (staff of the city), the same service, the same record."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.meetings.models import Decision, EventRegistration, Meeting
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


@pytest.fixture
def people(client, make_user):
    make_user("b.grygier@leszno.pl", leszno="staff")
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")
    make_user("h.hendrysiak@echo.org.pl")
    return {
        "staff": _bearer(client, "b.grygier@leszno.pl"),
        "other_city": _bearer(client, "k.wisniewska@kalisz.pl"),
        "resident": _bearer(client, "h.hendrysiak@echo.org.pl"),
    }


@pytest.fixture
def draft(tenants):
    return factories.meeting(tenants["leszno"], published=False)


def _meeting(tenants, meeting_id: int) -> Meeting:
    db.session.expire_all()
    with tenant_scope(tenants["leszno"].id):
        return db.session.get(Meeting, meeting_id)


def _url(meeting_id: int, action: str) -> str:
    return f"/api/v1/tenants/leszno/meetings/{meeting_id}/{action}"


# -- publishing ----------------------------------------------------------------------


def test_staff_publish_with_the_version_they_read(client, people, draft, tenants):
    read = client.get(f"/api/v1/tenants/leszno/meetings/{draft}", headers=people["staff"])
    published = client.post(
        _url(draft, "publish"), json={"version": read.json["version"]}, headers=people["staff"]
    )
    assert published.status_code == 200
    assert published.json["status"] == "published"
    assert published.json["version"] > read.json["version"]
    assert client.get(f"/leszno/meetings/{draft}").status_code == 200  # public now
    correction = client.post(
        _url(draft, "publish"),
        json={"note": "Uzupełniono listę obecności."},
        headers=people["staff"] | {"If-Match": published.headers["ETag"]},
    )
    assert correction.status_code == 200
    with tenant_scope(tenants["leszno"].id):
        notes = [v.note for v in db.session.get(Meeting, draft).versions]
    assert notes[-1] == "Uzupełniono listę obecności."


def test_publishing_from_a_stale_version_changes_nothing(client, people, draft, tenants):
    version = _meeting(tenants, draft).lock_version
    client.patch(
        f"/api/v1/tenants/leszno/meetings/{draft}",
        json={"version": version, "goal": "Omówienie projektu programu na 2027 r."},
        headers=people["staff"],
    )
    stale = client.post(_url(draft, "publish"), json={"version": version}, headers=people["staff"])
    assert stale.status_code == 409
    late = client.post(
        _url(draft, "publish"), json={}, headers=people["staff"] | {"If-Match": f'"v{version}"'}
    )
    assert late.status_code == 412
    assert client.post(_url(draft, "publish"), json={}, headers=people["staff"]).status_code == 428
    assert _meeting(tenants, draft).status == "draft"


def test_publishing_is_for_the_citys_staff(client, people, draft, tenants):
    body = {"version": 1}
    assert (
        client.post(_url(draft, "publish"), json=body, headers=people["resident"]).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/tenants/kalisz/meetings/{draft}/publish",
            json=body,
            headers=people["other_city"],
        ).status_code
        == 404
    )
    assert (
        client.post(_url(draft, "publish"), json=body, headers=people["other_city"]).status_code
        == 403
    )
    assert client.post(_url(draft, "publish"), json=body).status_code == 401
    assert _meeting(tenants, draft).status == "draft"


# -- registration settings -----------------------------------------------------------


def test_staff_open_registration_and_a_place_added_goes_to_the_waiting_list(
    client, people, tenants
):
    meeting_id = factories.meeting(tenants["leszno"])
    with tenant_scope(tenants["leszno"].id):
        meeting = db.session.get(Meeting, meeting_id)
        meeting.held_on = clock.today() + timedelta(days=30)
        meeting.registration_open, meeting.capacity = True, 1
        db.session.commit()
    factories.event_registration(tenants["leszno"], meeting_id=meeting_id, status="confirmed")
    waiting, _ = factories.event_registration(
        tenants["leszno"], meeting_id=meeting_id, status="waiting"
    )
    version = _meeting(tenants, meeting_id).lock_version
    settings = {
        "version": version,
        "registration_open": True,
        "capacity": 2,
        "registration_deadline": (clock.today() + timedelta(days=27)).isoformat(),
        "attendance_mode": "hybrid",
        "questions": ["Czy potrzebuje Pan/Pani tłumacza PJM?"],
    }
    saved = client.post(
        _url(meeting_id, "registration-settings"), json=settings, headers=people["staff"]
    )
    assert saved.status_code == 200
    assert saved.json["capacity"] == 2 and saved.json["version"] == version + 1
    assert saved.headers["ETag"] == f'"v{version + 1}"'
    with tenant_scope(tenants["leszno"].id):
        assert db.session.get(EventRegistration, waiting.id).status == "confirmed"
    stale = client.post(
        _url(meeting_id, "registration-settings"), json=settings, headers=people["staff"]
    )
    assert stale.status_code == 409


def test_registration_settings_refuse_what_the_page_refuses(client, people, draft):
    bad = client.post(
        _url(draft, "registration-settings"),
        json={"version": 1, "registration_open": True, "capacity": 0, "attendance_mode": "boisko"},
        headers=people["staff"],
    )
    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]) == {"capacity", "attendance_mode"}
    refused = client.post(
        _url(draft, "registration-settings"),
        json={"version": 1, "registration_open": True},
        headers=people["other_city"],
    )
    assert refused.status_code == 403


# -- attachments ---------------------------------------------------------------------


def _attach(client, meeting_id: int, data: bytes, name: str, headers: dict):
    return client.post(
        _url(meeting_id, "attachments"),
        data={"title": "Lista obecności (podpisana)", "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=headers,
    )


def test_staff_attach_a_document_checked_by_its_content(client, people, tenants):
    meeting_id = factories.meeting(tenants["leszno"])
    attached = _attach(
        client, meeting_id, b"%PDF-1.4\n%%EOF", "lista podpisana.pdf", people["staff"]
    )
    assert attached.status_code == 201
    assert attached.json["file_name"].endswith(".pdf")
    assert client.get(attached.json["download"]).get_data() == b"%PDF-1.4\n%%EOF"
    assert "Lista obecności (podpisana)" in client.get(f"/leszno/meetings/{meeting_id}").get_data(
        as_text=True
    )


def test_a_file_that_is_no_document_answers_422_with_the_reason(client, people, draft):
    disguised = _attach(
        client,
        draft,
        b"<html><script>x</script></html>",
        "lista.pdf",
        people["staff"] | {"Accept-Language": "pl"},
    )
    assert disguised.status_code == 422
    assert "sprawdzono jego zawartość" in disguised.json["detail"]
    missing = client.post(
        _url(draft, "attachments"),
        data={"title": "Lista obecności"},
        content_type="multipart/form-data",
        headers=people["staff"],
    )
    assert missing.status_code == 422


def test_only_the_citys_staff_attach(client, people, draft):
    pdf = b"%PDF-1.4\n%%EOF"
    assert _attach(client, draft, pdf, "a.pdf", people["other_city"]).status_code == 403
    assert (
        client.post(
            f"/api/v1/tenants/kalisz/meetings/{draft}/attachments",
            data={"title": "x", "file": (io.BytesIO(pdf), "a.pdf")},
            content_type="multipart/form-data",
            headers=people["other_city"],
        ).status_code
        == 404
    )


# -- removing a registration ---------------------------------------------------------


def test_staff_remove_a_registration_and_it_is_kept_as_cancelled(client, people, tenants):
    meeting_id = factories.meeting(tenants["leszno"])
    with tenant_scope(tenants["leszno"].id):
        db.session.get(Meeting, meeting_id).held_on = clock.today() + timedelta(days=30)
        db.session.commit()
    record_id = factories.event_registration(tenants["leszno"], meeting_id=meeting_id)[0].id
    url = _url(meeting_id, f"registrations/{record_id}/remove")
    removed = client.post(url, headers=people["staff"])
    assert removed.status_code == 200 and removed.json["status"] == "cancelled"
    again = client.post(url, headers=people["staff"] | {"Accept-Language": "pl"})
    assert again.status_code == 409 and "zostało już odwołane" in again.json["detail"]
    assert client.post(url, headers=people["other_city"]).status_code == 403
    other = factories.meeting(tenants["leszno"])
    assert (
        client.post(
            _url(other, f"registrations/{record_id}/remove"), headers=people["staff"]
        ).status_code
        == 404
    )


# -- decisions -----------------------------------------------------------------------


def test_staff_mark_a_decision_done_and_the_audit_log_says_who(client, people, tenants):
    decision_id = factories.decision(tenants["leszno"])
    url = f"/api/v1/tenants/leszno/decisions/{decision_id}/done"
    assert client.post(url, headers=people["other_city"]).status_code == 403
    assert (
        client.post(
            f"/api/v1/tenants/kalisz/decisions/{decision_id}/done", headers=people["other_city"]
        ).status_code
        == 404
    )
    done = client.post(url, headers=people["staff"])
    assert done.status_code == 200 and done.json["done_on"] == clock.today().isoformat()
    listed = client.get("/api/v1/tenants/leszno/decisions", headers=people["staff"]).json
    assert decision_id not in [d["id"] for d in listed]
    with tenant_scope(tenants["leszno"].id):
        entry = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "Decision", AuditEntry.entity_id == decision_id)
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry.changes["done_on"][1] == clock.today().isoformat()
        assert entry.user_id is not None
        assert db.session.get(Decision, decision_id).done_on == clock.today()
