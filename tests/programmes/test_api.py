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
        headers=staff,
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
