from __future__ import annotations

from datetime import UTC, date, datetime

from app.extensions import db
from app.organisations.models import OrganisationMember
from app.programmes.models import Programme
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


def test_public_list_and_detail_show_published_programmes_only(client, tenants):
    factories.programme(tenants["leszno"], year=2025)
    published = factories.programme(tenants["leszno"], year=2024, stage="adopted", complete=True)
    listed = client.get("/api/v1/tenants/leszno/programmes").json
    assert [p["year_from"] for p in listed] == [2024]
    detail = client.get(f"/api/v1/tenants/leszno/programmes/{published.id}").json
    assert detail["content"]["goals"] == "Treść: goals"
    assert detail["completeness"]["budget"] is True
    assert "Pomocniczość" in detail["content"]["principles"]


def test_staff_create_schedule_and_move_through_the_api(client, make_user, tenants):
    make_user("b.grygier@leszno.pl", leszno="staff")
    staff = _bearer(client, "b.grygier@leszno.pl")
    created = client.post(
        "/api/v1/tenants/leszno/programmes",
        headers=staff,
        json={
            "kind": "annual",
            "year_from": 2027,
            "year_to": 2027,
            "title": "Roczny Program Współpracy Miasta Leszna na 2027 rok",
        },
    )
    assert created.status_code == 201 and created.json["stage"] == "draft"
    url = f"/api/v1/tenants/leszno/programmes/{created.json['id']}"
    milestones = client.put(
        f"{url}/milestones",
        headers=staff | {"If-Match": created.headers["ETag"]},
        json=[
            {
                "title": "Spotkanie z organizacjami",
                "starts_on": "2026-07-13",
                "ends_on": "2026-07-13",
            }
        ],
    )
    assert milestones.status_code == 200 and milestones.json[0]["status"] == "planned"
    refused = client.post(f"{url}/transitions", headers=staff, json={"to_stage": "proposals_open"})
    assert refused.status_code == 409 and refused.content_type == "application/problem+json"
    skipped = client.post(f"{url}/transitions", headers=staff, json={"to_stage": "adopted"})
    assert skipped.status_code == 409  # only the next stage, whoever asks
    bad = client.post(f"{url}/transitions", headers=staff, json={"to_stage": "sideways"})
    assert bad.status_code == 422


def test_ngo_proposes_through_the_api_within_the_window(client, make_user, tenants, monkeypatch):
    programme_id = factories.programme(tenants["leszno"], stage="proposals_open").id
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        programme.proposals_from, programme.proposals_to = date(2023, 7, 13), date(2023, 7, 27)
        db.session.commit()
    user = make_user("h.hendrysiak@echo.org.pl")
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    factories.registration(tenants["leszno"], echo)
    db.session.add(OrganisationMember(organisation=echo, user=user))
    db.session.commit()
    ngo = _bearer(client, "h.hendrysiak@echo.org.pl")
    url = f"/api/v1/tenants/leszno/programmes/{programme_id}/proposals"
    body = {
        "organisation_id": echo.id,
        "element": "goals",
        "proposed_text": "Dodać cel: współpraca z miastami partnerskimi.",
    }
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 7, 20, 10, tzinfo=UTC))
    assert client.post(url, json=body, headers=ngo).status_code == 201
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 7, 28, 10, tzinfo=UTC))
    assert client.post(url, json=body, headers=ngo).status_code == 410
    mine = client.get(url, headers=ngo).json
    assert [p["proposed_text"] for p in mine] == [body["proposed_text"]]
    assert client.get(url).status_code == 401


def test_openapi_lists_the_programme_resources(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for suffix in (
        "",
        "/{programme_id}",
        "/{programme_id}/milestones",
        "/{programme_id}/proposals",
        "/{programme_id}/comments",
        "/{programme_id}/transitions",
    ):
        assert f"/api/v1/tenants/{{tenant_slug}}/programmes{suffix}" in paths


def _representative(client, tenant, email: str = "h.hendrysiak@echo.org.pl"):
    """An NGO representative acting for an organisation active in `tenant`, with a token."""
    from app.accounts.models import User

    user = User(email=email, name="Hanna Hendrysiak")
    user.set_password(PASSWORD)
    echo = factories.organisation(f"Stowarzyszenie {email}")
    factories.registration(tenant, echo)
    db.session.add_all([user, OrganisationMember(organisation=echo, user=user)])
    db.session.commit()
    return echo, _bearer(client, email)


def test_every_stage_of_a_published_programme_has_a_detail(client, tenants):
    for year, stage in enumerate(["consultation", "final", "adopted", "in_force", "reported"]):
        programme = factories.programme(tenants["leszno"], 2040 + year, stage, complete=True)
        with tenant_scope(tenants["leszno"].id):
            record = db.session.get(Programme, programme.id)
            record.resolution_number, record.resolution_date = "XII/1/2023", date(2023, 11, 30)
            db.session.commit()
        detail = client.get(f"/api/v1/tenants/leszno/programmes/{programme.id}")
        assert detail.status_code == 200, stage
        assert detail.json["budget"] == "1250000.00"
        assert detail.json["resolution_date"] == "2023-11-30"


def test_an_ngo_reads_the_programme_collecting_proposals_at_both_doors(client, app, tenants):
    collecting = factories.programme(tenants["leszno"], 2031, "proposals_open").id
    draft = factories.programme(tenants["leszno"], 2032, "draft").id
    echo, ngo = _representative(client, tenants["leszno"])
    page = app.test_client()
    from tests.conftest import log_in

    log_in(page, "h.hendrysiak@echo.org.pl")
    api = "/api/v1/tenants/leszno/programmes"
    assert client.get(f"{api}/{collecting}", headers=ngo).status_code == 200
    assert page.get(f"/leszno/programmes/{collecting}").status_code == 200
    assert client.get(f"{api}/{draft}", headers=ngo).status_code == 404
    assert page.get(f"/leszno/programmes/{draft}").status_code == 404
    proposal = {"organisation_id": echo.id, "element": "goals", "proposed_text": "Cel."}
    assert client.post(f"{api}/{draft}/proposals", json=proposal, headers=ngo).status_code == 404
    assert client.get(f"{api}/{collecting}").status_code == 404  # not public yet


def test_a_comment_for_an_organisation_one_does_not_act_for_is_refused(
    client, app, tenants, monkeypatch
):
    from app.programmes.models import Comment
    from tests.conftest import log_in, post_form

    programme_id = factories.programme(tenants["leszno"], 2033, "consultation").id
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        programme.consultation_from, programme.consultation_to = date(2023, 9, 1), date(2023, 9, 30)
        db.session.commit()
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 9, 10, 10, tzinfo=UTC))
    _echo, ngo = _representative(client, tenants["leszno"])
    stranger = factories.registration(tenants["leszno"]).organisation_id
    url = f"/api/v1/tenants/leszno/programmes/{programme_id}/comments"
    body = {"organisation_id": stranger, "element": "goals", "body": "Dopisać wolontariat."}
    refused = client.post(url, json=body, headers=ngo)
    assert refused.status_code == 422
    assert refused.json["detail"] == "Nie działasz tutaj w imieniu tej organizacji."
    page = app.test_client()
    log_in(page, "h.hendrysiak@echo.org.pl")
    post_form(page, f"/leszno/programmes/{programme_id}/comments", {**body, "body": "Strona."})
    with tenant_scope(tenants["leszno"].id):
        assert db.session.scalars(db.select(Comment)).all() == []


def test_the_list_kept_for_the_office_is_neither_another_readers_nor_out_of_date(
    client, make_user, tenants
):
    """A page of the list is kept for each kind of reader (page_cache.kept_for_the_city):
    the office's, with its drafts, is not a viewer's nor a visitor's, its count comes with
    it, and a change is on the next read."""
    draft = factories.programme(tenants["leszno"], year=2027)
    factories.programme(tenants["leszno"], year=2024, stage="adopted", complete=True)
    make_user("b.grygier@leszno.pl", leszno="staff")
    make_user("viewer@leszno.pl", leszno="viewer")
    staff, viewer = _bearer(client, "b.grygier@leszno.pl"), _bearer(client, "viewer@leszno.pl")
    url = "/api/v1/tenants/leszno/programmes"

    for _ in range(2):  # the second read is the kept one
        office = client.get(url, headers=staff)
        assert [p["year_from"] for p in office.json] == [2027, 2024]
        assert office.headers["X-Pagination"].count('"total": 2')
    assert [p["year_from"] for p in client.get(url, headers=viewer).json] == [2024]
    assert [p["year_from"] for p in client.get(url).json] == [2024]

    with tenant_scope(tenants["leszno"].id):
        db.session.get(Programme, draft.id).title = "Program współpracy na 2027 r. (projekt)"
        db.session.commit()
    assert client.get(url, headers=staff).json[0]["title"] == (
        "Program współpracy na 2027 r. (projekt)"
    )
