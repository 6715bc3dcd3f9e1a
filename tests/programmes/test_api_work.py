"""The city office's work on a programme cycle over the API, the twin of its pages: the
same policy, the same services, the same messages; updates state the version they read."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.programmes import services
from app.programmes.catalogue import Kind
from app.programmes.models import Comment, Programme, Proposal
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD, log_in

API = "/api/v1/tenants/leszno"
PDF = b"%PDF-1.4\n% Opinia Rady Dzialalnosci Pozytku Publicznego\n%%EOF"
PL = {"Accept-Language": "pl"}


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


@pytest.fixture
def staff(client, make_user):
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")
    return _bearer(client, "b.grygier@leszno.pl")


@pytest.fixture
def admin(client, make_user):
    make_user("a.szymanska@leszno.pl", name="Anna Szymańska", leszno="admin")
    return _bearer(client, "a.szymanska@leszno.pl")


@pytest.fixture
def viewer(client, make_user):
    make_user("radny@leszno.pl", leszno="viewer")
    return _bearer(client, "radny@leszno.pl")


def _stored(model, record_id: int, tenants, city: str = "leszno"):
    with tenant_scope(tenants[city].id):
        record = db.session.get(model, record_id)
        db.session.refresh(record)
        return record


def _audited(entity: str, tenants) -> list[AuditEntry]:
    with tenant_scope(tenants["leszno"].id):
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.entity == entity)))


def _version(client, programme_id: int, headers: dict) -> int:
    return client.get(f"{API}/programmes/{programme_id}", headers=headers).json["version"]


# -- proposals and comments: answered and forwarded ---------------------------------------


def test_staff_answer_a_proposal_and_the_answer_is_on_the_list_page(client, app, staff, tenants):
    proposal = factories.proposal(tenants["leszno"])
    answered = client.post(
        f"{API}/proposals/{proposal.id}/answer",
        headers=staff,
        json={
            "verdict": "partly_accepted",
            "justification": "Cel dopisano w brzmieniu uzgodnionym z Wydziałem Spraw Społecznych.",
        },
    )
    assert answered.status_code == 200
    assert answered.json["answer"] == "partly_accepted"
    stored = _stored(Proposal, proposal.id, tenants)
    assert stored.answer_justification.startswith("Cel dopisano")
    page = app.test_client()
    log_in(page, "b.grygier@leszno.pl")
    listing = page.get(f"/leszno/programmes/{proposal.programme_id}/proposals").get_data(True)
    assert "Cel dopisano w brzmieniu uzgodnionym" in listing
    assert any(e.entity_id == proposal.id for e in _audited("Proposal", tenants))


def test_an_answer_without_a_justification_is_refused_in_polish(client, staff, tenants):
    proposal = factories.proposal(tenants["leszno"])
    refused = client.post(
        f"{API}/proposals/{proposal.id}/answer",
        headers=staff | PL,
        json={"verdict": "rejected", "justification": "  "},
    )
    assert refused.status_code == 422
    assert refused.json["detail"] == "Podaj uzasadnienie – organizacja je przeczyta."
    assert _stored(Proposal, proposal.id, tenants).answer is None


def test_a_proposal_goes_to_a_person_of_the_citys_office_only(client, make_user, staff, tenants):
    proposal = factories.proposal(tenants["leszno"])
    colleague = make_user("m.nowak@leszno.pl", name="Marta Nowak", leszno="staff")
    elsewhere = make_user("urzednik@kalisz.pl", name="Piotr Kaliski", kalisz="staff")
    url = f"{API}/proposals/{proposal.id}/forward"
    forwarded = client.post(url, headers=staff, json={"person_id": colleague.id})
    assert forwarded.status_code == 200 and forwarded.json["forwarded_to"] == "Marta Nowak"
    refused = client.post(url, headers=staff | PL, json={"person_id": elsewhere.id})
    assert refused.status_code == 422 and "urzędu" in refused.json["detail"]
    assert _stored(Proposal, proposal.id, tenants).forwarded_to_user_id == colleague.id


def test_proposals_of_another_city_are_not_found_and_a_viewer_may_not_answer(
    client, staff, viewer, tenants
):
    theirs = factories.proposal(tenants["kalisz"])
    ours = factories.proposal(tenants["leszno"])
    answer = {"verdict": "accepted", "justification": "Uwzględniono."}
    assert (
        client.post(f"{API}/proposals/{theirs.id}/answer", headers=staff, json=answer).status_code
        == 404
    )
    assert (
        client.post(
            f"{API}/proposals/{theirs.id}/forward", headers=staff, json={"person_id": 1}
        ).status_code
        == 404
    )
    assert (
        client.post(f"{API}/proposals/{ours.id}/answer", headers=viewer, json=answer).status_code
        == 403
    )
    assert _stored(Proposal, theirs.id, tenants, "kalisz").answer is None


def test_staff_answer_and_forward_a_consultation_comment(client, make_user, staff, tenants):
    comment_id = factories.comment(tenants["leszno"])
    colleague = make_user("m.nowak@leszno.pl", name="Marta Nowak", leszno="staff")
    answered = client.post(
        f"{API}/comments/{comment_id}/answer",
        headers=staff,
        json={"answer": "Uwzględniono: dodano cel o wolontariacie.", "taken_into_account": "yes"},
    )
    assert answered.status_code == 200 and answered.json["taken_into_account"] == "yes"
    forwarded = client.post(
        f"{API}/comments/{comment_id}/forward", headers=staff, json={"person_id": colleague.id}
    )
    assert forwarded.status_code == 200
    stored = _stored(Comment, comment_id, tenants)
    assert stored.answer.startswith("Uwzględniono") and stored.forwarded_to_user_id == colleague.id
    public = client.get(f"{API}/programmes/{stored.programme_id}/comments").json
    assert public[0]["answer"] == "Uwzględniono: dodano cel o wolontariacie."


def test_comment_answers_refused_elsewhere_for_viewers_and_when_empty(
    client, staff, viewer, tenants
):
    theirs = factories.comment(tenants["kalisz"])
    ours = factories.comment(tenants["leszno"])
    answer = {"answer": "Nie uwzględniono.", "taken_into_account": "no"}
    assert (
        client.post(f"{API}/comments/{theirs}/answer", headers=staff, json=answer).status_code
        == 404
    )
    assert (
        client.post(f"{API}/comments/{ours}/answer", headers=viewer, json=answer).status_code == 403
    )
    empty = client.post(
        f"{API}/comments/{ours}/answer",
        headers=staff | PL,
        json={"answer": "", "taken_into_account": "no"},
    )
    assert empty.status_code == 422 and empty.json["detail"].startswith("Napisz odpowiedź")
    assert _stored(Comment, ours, tenants).answer is None


# -- the content and the schedule ----------------------------------------------------------


def test_staff_edit_the_content_with_the_version_they_read(client, app, staff, tenants):
    programme = factories.programme(tenants["leszno"], year=2027)
    url = f"{API}/programmes/{programme.id}"
    read = client.get(url, headers=staff)
    saved = client.patch(
        url,
        headers=staff,
        json={
            "version": read.json["version"],
            "budget": "1300000.00",
            "texts": {"goals": "Rozwój społeczeństwa obywatelskiego w Lesznie."},
            "priority_tasks": [
                {"area_code": "10", "description": "Aktywizacja osób starszych w Lesznie"}
            ],
        },
    )
    assert saved.status_code == 200
    assert saved.json["budget"] == "1300000.00"
    assert saved.json["version"] > read.json["version"]
    assert saved.headers["ETag"] == f'"v{saved.json["version"]}"'
    assert saved.json["content"]["goals"] == "Rozwój społeczeństwa obywatelskiego w Lesznie."
    assert saved.json["title"] == programme.title  # not sent: unchanged
    page = app.test_client()
    log_in(page, "b.grygier@leszno.pl")
    shown = page.get(f"/leszno/programmes/{programme.id}").get_data(True)
    assert "Aktywizacja osób starszych w Lesznie" in shown
    stale = client.patch(
        url, headers=staff | PL, json={"version": read.json["version"], "title": "Inny tytuł"}
    )
    assert stale.status_code == 409 and "zapisał" in stale.json["detail"]
    stale_tag = client.patch(
        url, headers=staff | {"If-Match": read.headers["ETag"]}, json={"title": "Inny tytuł"}
    )
    assert stale_tag.status_code == 412
    assert _stored(Programme, programme.id, tenants).title == programme.title


def test_an_adopted_programme_is_not_edited_over_the_api(client, staff, tenants):
    programme = factories.programme(tenants["leszno"], year=2027, stage="adopted", complete=True)
    url = f"{API}/programmes/{programme.id}"
    refused = client.patch(
        url,
        headers=staff | PL,
        json={"version": _version(client, programme.id, staff), "title": "Zmieniony tytuł"},
    )
    assert refused.status_code == 409
    assert "uchwalony" in refused.json["detail"]
    assert _stored(Programme, programme.id, tenants).title == programme.title


def test_content_updates_refused_to_viewers_elsewhere_and_when_invalid(
    client, staff, viewer, tenants
):
    ours = factories.programme(tenants["leszno"], year=2027, stage="consultation")
    theirs = factories.programme(tenants["kalisz"], year=2027)
    assert (
        client.patch(
            f"{API}/programmes/{theirs.id}", headers=staff, json={"version": 1, "title": "X"}
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"{API}/programmes/{ours.id}", headers=viewer, json={"version": 1, "title": "X"}
        ).status_code
        == 403
    )
    invalid = client.patch(
        f"{API}/programmes/{ours.id}",
        headers=staff,
        json={"version": 1, "title": "", "texts": {"unknown": "x"}},
    )
    assert invalid.status_code == 422
    assert set(invalid.json["errors"]["json"]) == {"title", "texts"}


def test_the_schedule_is_replaced_with_the_programmes_etag_only(client, staff, tenants):
    programme = factories.programme(tenants["leszno"], year=2027)
    url = f"{API}/programmes/{programme.id}/milestones"
    etag = client.get(f"{API}/programmes/{programme.id}", headers=staff).headers["ETag"]
    step = [{"title": "Spotkanie z organizacjami", "starts_on": "2026-07-13"}]
    blind = client.put(url, headers=staff, json=step)
    assert blind.status_code == 428
    saved = client.put(url, headers=staff | {"If-Match": etag}, json=step)
    assert saved.status_code == 200 and saved.headers["ETag"] != etag
    stale = client.put(url, headers=staff | {"If-Match": etag}, json=step * 2)
    assert stale.status_code == 412
    assert len(client.get(url, headers=staff).json) == 1
    backwards = [{"title": "Krok", "starts_on": "2026-07-13", "ends_on": "2026-07-01"}]
    refused = client.put(
        url, headers=staff | PL | {"If-Match": saved.headers["ETag"]}, json=backwards
    )
    assert refused.status_code == 422 and "kończyć" in refused.json["detail"]


# -- opinions -------------------------------------------------------------------------------


def test_staff_record_an_opinion_with_its_document_checked_by_content(client, staff, tenants):
    programme = factories.programme(tenants["leszno"], year=2027, stage="opinions", complete=True)
    url = f"{API}/programmes/{programme.id}/opinions"
    recorded = client.post(
        url,
        headers=staff,
        data={
            "body": "Rada Działalności Pożytku Publicznego Miasta Leszna",
            "given_on": "2026-10-20",
            "text": "Rada pozytywnie opiniuje projekt programu.",
            "document": (BytesIO(PDF), "opinia-rdpp.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert recorded.status_code == 201
    assert recorded.json["document"].endswith(f"/opinions/{recorded.json['id']}/document")
    listed = client.get(url).json
    assert [o["body"] for o in listed] == ["Rada Działalności Pożytku Publicznego Miasta Leszna"]
    assert client.get(recorded.json["document"]).data == PDF
    disguised = client.post(
        url,
        headers=staff | PL,
        data={
            "body": "Leszczyńska Rada Seniorów",
            "given_on": "2026-10-21",
            "document": (BytesIO(b"MZ\x90\x00 not a document"), "opinia.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert disguised.status_code == 422 and "PDF" in disguised.json["detail"]
    text_for_a_file = client.post(
        url,
        headers=staff | PL,
        data={"body": "Rada Seniorów", "given_on": "2026-10-21", "document": "opinia.pdf"},
        content_type="multipart/form-data",
    )
    assert text_for_a_file.status_code == 422
    assert text_for_a_file.json["errors"]["multipart"]["document"] == "Tu wyślij plik, nie tekst."
    assert len(client.get(url).json) == 1


def test_opinions_refused_to_viewers_elsewhere_and_once_adopted(client, staff, viewer, tenants):
    ours = factories.programme(tenants["leszno"], year=2027, stage="opinions")
    theirs = factories.programme(tenants["kalisz"], year=2027, stage="opinions")
    adopted = factories.programme(tenants["leszno"], year=2028, stage="adopted")
    opinion = {"body": "Rada Seniorów", "given_on": "2026-10-20"}
    assert (
        client.post(
            f"{API}/programmes/{ours.id}/opinions", headers=viewer, data=opinion
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"{API}/programmes/{theirs.id}/opinions", headers=staff, data=opinion
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{API}/programmes/{adopted.id}/opinions", headers=staff, data=opinion
        ).status_code
        == 409
    )
    assert (
        client.post(
            f"{API}/programmes/{ours.id}/opinions", headers=staff, data={"body": "Rada"}
        ).status_code
        == 422
    )


# -- stages, adoption, windows, amendments ------------------------------------------------------


def test_staff_move_the_stage_with_the_version_they_read(client, staff, tenants):
    programme = factories.programme(tenants["leszno"], year=2027, stage="proposals_review")
    url = f"{API}/programmes/{programme.id}/stage"
    version = _version(client, programme.id, staff)
    moved = client.post(url, headers=staff, json={"stage": "consultation", "version": version})
    assert moved.status_code == 409  # incomplete draft: the cycle's rule, as on the page
    complete = factories.programme(tenants["leszno"], year=2028, stage="draft", complete=True)
    with tenant_scope(tenants["leszno"].id):
        record = db.session.get(Programme, complete.id)
        record.proposals_from, record.proposals_to = date(2027, 7, 1), date(2027, 7, 21)
        db.session.commit()
    url = f"{API}/programmes/{complete.id}/stage"
    version = _version(client, complete.id, staff)
    moved = client.post(url, headers=staff, json={"stage": "proposals_open", "version": version})
    assert moved.status_code == 200 and moved.json["stage"] == "proposals_open"
    stale = client.post(url, headers=staff, json={"stage": "proposals_review", "version": version})
    assert stale.status_code == 409
    assert _stored(Programme, complete.id, tenants).stage == "proposals_open"
    assert len(_audited("Transition", tenants)) == 1


def test_the_admin_records_the_adoption_with_the_resolution(client, admin, staff, tenants):
    programme = factories.programme(tenants["leszno"], year=2027, stage="final", complete=True)
    url = f"{API}/programmes/{programme.id}/adoption"
    form = {
        "version": str(_version(client, programme.id, admin)),
        "resolution_number": "XLVI/570/2026",
        "resolution_date": "2026-11-26",
    }
    assert client.post(url, headers=staff, data=form).status_code == 403
    adopted = client.post(
        url,
        headers=admin,
        data={**form, "resolution_file": (BytesIO(PDF), "uchwała.pdf")},
        content_type="multipart/form-data",
    )
    assert adopted.status_code == 200
    assert adopted.json["stage"] == "adopted"
    assert adopted.json["resolution_number"] == "XLVI/570/2026"
    stored = _stored(Programme, programme.id, tenants)
    assert stored.resolution_file_name == "uchwała.pdf"
    again = client.post(url, headers=admin, data=form)
    assert again.status_code == 409


def test_the_admin_closes_an_open_window_early(client, admin, staff, tenants):
    programme = factories.programme(tenants["leszno"], year=2027, stage="consultation")
    today = clock.today()
    with tenant_scope(tenants["leszno"].id):
        record = db.session.get(Programme, programme.id)
        record.consultation_from = today - timedelta(days=3)
        record.consultation_to = today + timedelta(days=10)
        db.session.commit()
    url = f"{API}/programmes/{programme.id}/windows/consultation/close"
    reason = {"reason": "Wszystkie organizacje z bazy przekazały już swoje uwagi."}
    assert client.post(url, headers=staff, json=reason).status_code == 403
    closed = client.post(url, headers=admin, json=reason)
    assert closed.status_code == 201 and closed.json["kind"] == "consultation"
    assert client.post(url, headers=admin, json=reason).status_code == 409  # closed already
    odd = f"{API}/programmes/{programme.id}/windows/sideways/close"
    assert client.post(odd, headers=admin, json=reason).status_code == 404


def test_the_admin_amends_an_adopted_programme(client, admin, tenants):
    programme = factories.programme(tenants["leszno"], year=2027, stage="adopted", complete=True)
    url = f"{API}/programmes/{programme.id}"
    started = client.post(
        f"{url}/amendments",
        headers=admin,
        json={"reason": "Zwiększenie kwoty na zadania z zakresu pomocy społecznej."},
    )
    assert started.status_code == 201 and started.json["number"] == 1
    edited = client.patch(
        url,
        headers=admin,
        json={"version": _version(client, programme.id, admin), "budget": "1300000.00"},
    )
    assert edited.status_code == 200
    recorded = client.post(
        f"{url}/amendments/resolution",
        headers=admin,
        json={
            "version": edited.json["version"],
            "resolution_number": "XII/150/2027",
            "resolution_date": "2027-03-25",
        },
    )
    assert recorded.status_code == 200 and recorded.json["resolution_number"] == "XII/150/2027"
    frozen = client.patch(
        url, headers=admin, json={"version": _version(client, programme.id, admin), "title": "X"}
    )
    assert frozen.status_code == 409


# -- the next year, the report, the year reports ----------------------------------------------


def test_staff_start_next_years_programme_from_the_latest(client, staff, viewer, tenants):
    factories.programme(tenants["leszno"], year=2026, stage="adopted", complete=True)
    copied = client.post(f"{API}/programmes/copy", headers=staff)
    assert copied.status_code == 201
    assert copied.json["year_from"] == 2027 and copied.json["stage"] == "draft"
    assert client.post(f"{API}/programmes/copy", headers=viewer).status_code == 403


def test_staff_write_the_report_with_the_version_they_read(client, staff, tenants):
    programme = factories.programme(tenants["leszno"], year=2025, stage="in_force", complete=True)
    url = f"{API}/programmes/{programme.id}/report"
    version = _version(client, programme.id, staff)
    with tenant_scope(tenants["leszno"].id):
        indicator = db.session.get(Programme, programme.id).indicators[0].id
    saved = client.patch(
        url,
        headers=staff,
        json={
            "version": version,
            "report_tasks_commissioned": 42,
            "report_amount_spent": "1180000.00",
            "report_published_on": "2026-05-28",
            "indicators": [{"id": indicator, "actual": "11.00"}],
        },
    )
    assert saved.status_code == 200
    assert saved.json["indicators"] == [{"id": indicator, "actual": "11.00"}]
    stale = client.patch(url, headers=staff, json={"version": version, "report_summary": "x"})
    assert stale.status_code == 409
    assert _stored(Programme, programme.id, tenants).report_tasks_commissioned == 42


def test_staff_file_and_withdraw_a_years_report(client, staff, viewer, tenants):
    with tenant_scope(tenants["leszno"].id):
        multi_year = services.create(
            Kind.MULTI_YEAR, 2024, 2026, "Wieloletni program współpracy Miasta Leszna 2024–2026"
        )
        db.session.commit()
        programme_id = multi_year.id
    url = f"{API}/programmes/{programme_id}/year-reports"
    filing = {"year": "2024", "submitted_on": "2025-04-24", "published_on": "2025-05-27"}
    assert client.post(url, headers=viewer, data=filing).status_code == 403
    filed = client.post(
        url,
        headers=staff,
        data={**filing, "document": (BytesIO(PDF), "sprawozdanie-2024.pdf")},
        content_type="multipart/form-data",
    )
    assert filed.status_code == 201 and filed.json["document"]
    again = client.post(url, headers=staff | PL, data=filing)
    assert again.status_code == 422
    withdraw = f"{API}/programmes/year-reports/{filed.json['id']}/withdraw"
    assert client.post(withdraw, headers=viewer).status_code == 403
    assert client.post(withdraw, headers=staff).status_code == 204
    assert client.post(url, headers=staff, data=filing).status_code == 201
