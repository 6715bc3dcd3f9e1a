"""The regional API: public projects and standards; the matrix and benchmark for coordinators."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD, log_in


@pytest.fixture
def project(regions, tenants):
    record = factories.standards_project(regions["wielkopolskie"], standards=2)
    first, second = record.blocks[0].standards
    factories.adoption(tenants["leszno"], first, "adopted", notes="Radny X był przeciw.")
    factories.adoption(tenants["leszno"], second, "not_applicable")
    factories.adoption(tenants["kalisz"], first, "planned")
    return record


def bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


def test_projects_and_standards_are_public(client, project):
    projects = client.get("/api/v1/regions/wielkopolskie/projects").json
    standards = client.get(f"/api/v1/regions/wielkopolskie/standards?project_id={project.id}").json

    assert [p["title"] for p in projects] == ["Wielkopolska działa razem"]
    assert projects[0]["blocks"][0]["title"] == "Tworzenie polityk publicznych"
    assert [s["title"] for s in standards] == [
        "Standard konsultacji nr 1",
        "Standard konsultacji nr 2",
    ]
    assert standards[0]["project_id"] == project.id
    assert client.get("/api/v1/regions/pomorskie/projects").json == []


def test_the_coordinator_reads_the_matrix_without_private_notes(client, make_user, project):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    headers = bearer(client, "p.zielinski@umww.pl")

    response = client.get("/api/v1/regions/wielkopolskie/adoption", headers=headers)

    assert response.status_code == 200
    cities = {c["slug"]: c for c in response.json["cities"]}
    first, second = (str(s.id) for s in project.blocks[0].standards)
    assert cities["leszno"]["statuses"] == {first: "adopted", second: "not_applicable"}
    assert cities["leszno"]["share_adopted"] == 1.0
    assert cities["konin"]["statuses"][first] == "not_started"
    assert cities["kalisz"]["share_adopted"] == 0.0
    assert "Radny X" not in response.get_data(as_text=True)
    filtered = client.get(
        "/api/v1/regions/wielkopolskie/adoption?status=planned", headers=headers
    ).json
    assert [c["slug"] for c in filtered["cities"]] == ["kalisz"]


def test_the_benchmark_over_the_api_says_null_for_no_data(client, make_user, tenants, project):
    factories.programme(tenants["leszno"], year=2024)  # drafted, never adopted
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    headers = bearer(client, "p.zielinski@umww.pl")

    body = client.get("/api/v1/regions/wielkopolskie/benchmark?year=2024", headers=headers).json

    assert body["year"] == 2024
    cities = {c["slug"]: c["values"] for c in body["cities"]}
    assert cities["leszno"]["programme_on_time"] is False  # not adopted
    assert cities["leszno"]["proposals"] == 0
    assert cities["konin"]["programme_on_time"] is None
    assert {m["key"] for m in body["measures"]} == set(cities["konin"])
    bad = client.get("/api/v1/regions/wielkopolskie/benchmark?year=1990", headers=headers)
    assert bad.status_code == 422


def test_the_benchmark_over_the_api_shows_the_marshal_office_apart(client, make_user, tenants):
    factories.programme(tenants["wojewodztwo-wielkopolskie"], year=2024)
    factories.programme(tenants["leszno"], year=2024)
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    headers = bearer(client, "p.zielinski@umww.pl")

    body = client.get("/api/v1/regions/wielkopolskie/benchmark?year=2024", headers=headers).json

    compared = [c["slug"] for c in body["cities"]]
    assert "wojewodztwo-wielkopolskie" not in compared
    assert {"leszno", "powiat-leszczynski"} <= set(compared)  # a powiat is one of the compared
    own = body["self_government"]
    assert (own["slug"], own["name"]) == ("wojewodztwo-wielkopolskie", "Województwo Wielkopolskie")
    assert own["values"]["programme_on_time"] is False
    assert set(own["values"]) == {m["key"] for m in body["measures"]}
    elsewhere = client.get("/api/v1/regions/malopolskie/benchmark", headers=headers)
    assert elsewhere.status_code == 403  # not their region's


def test_regional_reads_are_for_that_regions_coordinator(client, make_user, regions, project):
    foreign = factories.standards_project(regions["pomorskie"], standards=1)
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    make_user("admin@leszno.pl", leszno="admin")
    pomorskie = bearer(client, "koordynator@pomorskie.pl")
    leszno = bearer(client, "admin@leszno.pl")

    for path in ("adoption", "benchmark"):
        url = f"/api/v1/regions/wielkopolskie/{path}"
        assert client.get(url).status_code == 401
        assert client.get(url, headers=pomorskie).status_code == 403
        assert client.get(url, headers=leszno).status_code == 403
    # a project of Wielkopolska asked for under Pomorskie is not found there
    url = f"/api/v1/regions/pomorskie/adoption?project_id={project.id}"
    assert client.get(url, headers=pomorskie).status_code == 404
    url = f"/api/v1/regions/pomorskie/adoption?project_id={foreign.id}"
    assert client.get(url, headers=pomorskie).status_code == 200


def test_a_city_reads_its_own_adoption_rows(client, make_user, tenants, project):
    make_user("a.szymanska@leszno.pl", leszno="staff")
    make_user("ngo@kalisz.pl", kalisz="ngo")
    headers = bearer(client, "a.szymanska@leszno.pl")

    rows = client.get("/api/v1/tenants/leszno/adoption", headers=headers).json

    assert [(r["standard"], r["status"]) for r in rows] == [
        ("Standard konsultacji nr 1", "adopted"),
        ("Standard konsultacji nr 2", "not_applicable"),
    ]
    assert rows[0]["notes"] == "Radny X był przeciw."  # the city's own notes, to the city
    kalisz = client.get("/api/v1/tenants/kalisz/adoption", headers=headers)
    assert kalisz.status_code == 403  # Leszno's staff have no role in Kalisz
    ngo = bearer(client, "ngo@kalisz.pl")
    assert client.get("/api/v1/tenants/kalisz/adoption", headers=ngo).status_code == 403


def test_the_regional_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]

    for path in ("projects", "standards", "adoption", "benchmark"):
        assert f"/api/v1/regions/{{region_slug}}/{path}" in paths
    assert "/api/v1/tenants/{tenant_slug}/adoption" in paths


def test_nothing_the_coordinator_reads_holds_ngo_contacts_or_city_notes(
    client, make_user, tenants, project
):
    echo = factories.organisation(
        "Stowarzyszenie „ECHO”", email="biuro@echo.leszno.pl", phone="65 529 11 22"
    )
    record = factories.registration(tenants["leszno"], echo)
    with tenant_scope(tenants["leszno"].id):
        record.contact_name = "Maria Nowak"
        record.contact_email = "m.nowak@echo.leszno.pl"
        record.contact_phone = "601 234 567"
        db.session.commit()
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    headers = bearer(client, "p.zielinski@umww.pl")
    log_in(client, "p.zielinski@umww.pl")
    regional = "/regions/wielkopolskie"
    pages = [
        client.get(f"{regional}/benchmark"),
        client.get(f"{regional}/projects/{project.id}/adoption"),
        client.get(f"{regional}/projects/{project.id}/reviews"),
        client.get(f"/api/v1{regional}/benchmark", headers=headers),
        client.get(f"/api/v1{regional}/adoption?project_id={project.id}", headers=headers),
    ]

    assert [page.status_code for page in pages] == [200] * len(pages)
    private = ("echo.leszno.pl", "529 11 22", "Maria Nowak", "601 234 567", "Radny X")
    for page in pages:
        text = page.get_data(as_text=True)
        assert not [value for value in private if value in text], page.request.path


def test_a_citys_viewer_reads_its_adoption_rows_without_the_city_halls_notes(
    client, make_user, project
):
    make_user("viewer@leszno.pl", leszno="viewer")

    rows = client.get("/api/v1/tenants/leszno/adoption", headers=bearer(client, "viewer@leszno.pl"))

    assert rows.status_code == 200
    assert [r["status"] for r in rows.json] == ["adopted", "not_applicable"]
    assert "Radny X" not in rows.get_data(as_text=True)  # as on the viewer's pages
