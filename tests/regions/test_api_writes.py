"""The regional API's writes, twins of the pages: a city's adoption and its evidence, the
coordinator's reviews, projects, standards and the matrix's publicity."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.regions.models import Adoption, Standard, StandardsProject, StandardTargetChange
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in
from tests.regions.test_api import bearer
from tests.regions.test_standards import RESOLUTION_PDF

REGION = "/api/v1/regions/wielkopolskie"


@pytest.fixture
def project(regions):
    record = factories.standards_project(regions["wielkopolskie"], standards=2)
    record.starts_on, record.ends_on = date(2013, 1, 1), date(2014, 12, 31)
    db.session.commit()
    return record


@pytest.fixture
def coordinator(client, make_user):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    return bearer(client, "p.zielinski@umww.pl")


@pytest.fixture
def staff(client, make_user):
    make_user("a.szymanska@leszno.pl", leszno="staff", locale="en")
    return bearer(client, "a.szymanska@leszno.pl")


def _adoption(tenant, standard) -> Adoption | None:
    with tenant_scope(tenant.id):
        db.session.expire_all()
        return db.session.scalar(select(Adoption).where(Adoption.standard_id == standard.id))


# -- a city's adoption ---------------------------------------------------------------------


def test_a_city_says_where_it_stands_and_it_goes_to_review(
    client, app, tenants, project, staff, coordinator
):
    standard = project.blocks[0].standards[0]
    url = f"/api/v1/tenants/leszno/standards/{standard.id}"
    before = client.get(url, headers=staff)
    assert before.status_code == 200
    assert (before.json["status"], before.json["version"]) == ("not_started", 0)

    saved = client.patch(
        url,
        json={
            "version": 0,
            "status": "adopted",
            "evidence": "Uchwała nr XLII/512/2013 Rady Miejskiej Leszna",
            "decided_on": "2013-11-28",
            "notes": "Radny X był przeciw.",
        },
        headers=staff,
    )

    assert saved.status_code == 200, saved.json
    assert saved.json["review_status"] == "pending"
    assert saved.headers["ETag"] == f'"v{saved.json["version"]}"'
    page = app.test_client()
    log_in(page, "a.szymanska@leszno.pl")
    listing = page.get("/leszno/standards").get_data(as_text=True)
    assert "Uchwała nr XLII/512/2013" in listing and "awaiting review" in listing
    adoption = _adoption(tenants["leszno"], standard)
    with tenant_scope(tenants["leszno"].id):
        entry = db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.entity == "Adoption", AuditEntry.entity_id == adoption.id
            )
        )
        assert entry.user.email == "a.szymanska@leszno.pl"
    # what is left out stays; the coordinator sees the row, never the city's notes
    client.patch(
        url,
        json={"evidence": "https://bip.leszno.pl/uchwala"},
        headers=staff | {"If-Match": saved.headers["ETag"]},
    )
    assert _adoption(tenants["leszno"], standard).notes == "Radny X był przeciw."
    reviews = client.get(f"{REGION}/projects/{project.id}/reviews", headers=coordinator)
    assert [(r["city"], r["evidence"]) for r in reviews.json] == [
        ("leszno", "https://bip.leszno.pl/uchwala")
    ]
    assert "Radny X" not in reviews.get_data(as_text=True)


def test_a_stale_adoption_update_is_refused_and_the_newer_one_kept(client, tenants, project, staff):
    standard = project.blocks[0].standards[0]
    factories.adoption(tenants["leszno"], standard, "planned")
    url = f"/api/v1/tenants/leszno/standards/{standard.id}"
    read = client.get(url, headers=staff)
    client.patch(
        url, json={"version": read.json["version"], "status": "in_progress"}, headers=staff
    )

    stale = client.patch(
        url, json={"version": read.json["version"], "status": "adopted"}, headers=staff
    )
    blind = client.patch(
        url, json={"status": "adopted"}, headers=staff | {"If-Match": read.headers["ETag"]}
    )

    assert stale.status_code == 409 and "Someone else saved" in stale.json["detail"]
    assert blind.status_code == 412
    assert _adoption(tenants["leszno"], standard).status == "in_progress"


def test_bad_adoption_input_is_explained_and_nothing_is_saved(client, tenants, project, staff):
    standard = project.blocks[0].standards[0]
    url = f"/api/v1/tenants/leszno/standards/{standard.id}"

    bad = client.patch(
        url, json={"version": 0, "status": "przyjęty", "evidence": "x" * 501}, headers=staff
    )
    missing = client.patch(url, json={"status": "adopted"}, headers=staff)

    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]) == {"status", "evidence"}
    assert missing.status_code == 428
    assert _adoption(tenants["leszno"], standard) is None


def test_the_evidence_document_is_checked_by_its_content(
    client, tenants, project, staff, coordinator
):
    standard = project.blocks[0].standards[0]
    url = f"/api/v1/tenants/leszno/standards/{standard.id}/evidence"

    disguised = client.put(
        url,
        data={"version": "0", "evidence_file": (io.BytesIO(b"<html><script>"), "uchwala.pdf")},
        headers=staff,
    )
    assert disguised.status_code == 422
    assert "its content was checked" in disguised.json["detail"]  # the page's message
    assert _adoption(tenants["leszno"], standard) is None

    document = (io.BytesIO(RESOLUTION_PDF), "uchwała XLII-512-2013.pdf")
    sent = client.put(url, data={"version": "0", "evidence_file": document}, headers=staff)

    assert sent.status_code == 200, sent.json
    assert sent.json["evidence_document"] == "uchwała XLII-512-2013.pdf"
    assert sent.json["review_status"] == "pending"
    adoption_id = _adoption(tenants["leszno"], standard).id
    link = f"/regions/wielkopolskie/projects/{project.id}/adoption/{adoption_id}/evidence"
    page = client.application.test_client()
    log_in(page, "p.zielinski@umww.pl")
    assert page.get(link).get_data() == RESOLUTION_PDF


def test_a_citys_adoption_is_its_staffs_and_its_regions_standards_only(
    client, make_user, regions, project, staff
):
    make_user("viewer@leszno.pl", leszno="viewer")
    make_user("admin@kalisz.pl", kalisz="admin")
    standard = project.blocks[0].standards[0]
    foreign = factories.standards_project(regions["pomorskie"], standards=1).blocks[0].standards[0]
    viewer = bearer(client, "viewer@leszno.pl")
    kalisz = bearer(client, "admin@kalisz.pl")
    url = f"/api/v1/tenants/leszno/standards/{standard.id}"
    body = {"version": 0, "status": "adopted"}

    assert client.patch(url, json=body).status_code == 401
    assert client.patch(url, json=body, headers=viewer).status_code == 403
    assert client.patch(url, json=body, headers=kalisz).status_code == 403
    upload = {"version": "0", "evidence_file": (io.BytesIO(RESOLUTION_PDF), "u.pdf")}
    assert client.put(f"{url}/evidence", data=upload, headers=viewer).status_code == 403
    elsewhere = f"/api/v1/tenants/leszno/standards/{foreign.id}"
    assert client.get(elsewhere, headers=staff).status_code == 404
    assert client.patch(elsewhere, json=body, headers=staff).status_code == 404


# -- the coordinator's reviews -------------------------------------------------------------


def test_the_coordinator_accepts_or_returns_a_declaration_with_its_version(
    client, app, tenants, project, coordinator, staff, mailbox
):
    first = project.blocks[0].standards[0]
    factories.adoption(tenants["leszno"], first, "adopted", review="pending")
    factories.adoption(tenants["kalisz"], first, "planned", review="pending")
    reviews_url = f"{REGION}/projects/{project.id}/reviews"
    pending = {r["city"]: r for r in client.get(reviews_url, headers=coordinator).json}

    leszno = pending["leszno"]
    accepted = client.post(
        f"{reviews_url}/{leszno['adoption_id']}",
        json={"accept": True, "version": leszno["version"]},
        headers=coordinator,
    )
    kalisz = pending["kalisz"]
    returned = client.post(
        f"{reviews_url}/{kalisz['adoption_id']}",
        json={"accept": False, "comment": "Proszę dołączyć uchwałę.", "version": kalisz["version"]},
        headers=coordinator,
    )

    assert accepted.status_code == 200, accepted.json
    assert accepted.json["review_status"] == "accepted"
    assert returned.json["review_status"] == "returned"
    assert client.get(reviews_url, headers=coordinator).json == []
    assert _adoption(tenants["kalisz"], first).review_comment == "Proszę dołączyć uchwałę."
    again = client.post(
        f"{reviews_url}/{leszno['adoption_id']}",
        json={"accept": True, "version": accepted.json["version"]},
        headers=coordinator,
    )
    assert again.status_code == 409  # reviewed already: said so, not "not found"
    assert "no longer awaits review" in again.json["detail"]


def test_a_review_of_a_declaration_changed_since_it_was_read_is_refused(
    client, tenants, project, coordinator, staff
):
    standard = project.blocks[0].standards[0]
    factories.adoption(tenants["leszno"], standard, "planned", review="pending")
    reviews_url = f"{REGION}/projects/{project.id}/reviews"
    read = client.get(reviews_url, headers=coordinator).json[0]
    city_url = f"/api/v1/tenants/leszno/standards/{standard.id}"
    client.patch(city_url, json={"version": read["version"], "status": "adopted"}, headers=staff)

    stale = client.post(
        f"{reviews_url}/{read['adoption_id']}",
        json={"accept": True, "version": read["version"]},
        headers=coordinator,
    )
    long = client.post(
        f"{reviews_url}/{read['adoption_id']}",
        json={"accept": False, "comment": "x" * 2001, "version": read["version"] + 1},
        headers=coordinator,
    )

    assert stale.status_code == 409
    assert long.status_code == 422
    assert long.json["errors"]["json"]["comment"] == [
        "The comment is too long (at most 2,000 characters)."
    ]
    assert _adoption(tenants["leszno"], standard).review_status == "pending"


def test_reviews_are_the_regions_coordinators(client, make_user, tenants, project, staff):
    standard = project.blocks[0].standards[0]
    factories.adoption(tenants["leszno"], standard, "planned", review="pending")
    adoption_id = _adoption(tenants["leszno"], standard).id
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    other = bearer(client, "koordynator@pomorskie.pl")
    url = f"{REGION}/projects/{project.id}/reviews"
    body = {"accept": True, "version": 1}

    assert client.get(url, headers=staff).status_code == 403
    assert client.post(f"{url}/{adoption_id}", json=body, headers=staff).status_code == 403
    assert client.post(f"{url}/{adoption_id}", json=body, headers=other).status_code == 403
    elsewhere = url.replace("wielkopolskie", "pomorskie")
    assert client.post(f"{elsewhere}/{adoption_id}", json=body, headers=other).status_code == 404
    assert _adoption(tenants["leszno"], standard).review_status == "pending"


# -- projects, standards and publicity -----------------------------------------------------


def test_the_coordinator_writes_a_project_with_blocks_and_groups(client, app, coordinator):
    created = client.post(
        f"{REGION}/projects",
        json={
            "title": "Wielkopolska działa razem",
            "starts_on": "2013-01-01",
            "ends_on": "2014-12-31",
            "funding_source": "Unia Europejska, Europejski Fundusz Społeczny",
            "blocks": [{"title": "Tworzenie polityk publicznych"}],
            "groups": [
                {"name": "Grupa standaryzacyjna nr 1", "office_members": ["Urząd Miasta Leszna"]}
            ],
        },
        headers=coordinator,
    )
    assert created.status_code == 201, created.json
    url = f"{REGION}/projects/{created.json['id']}"
    read = client.get(url)
    assert read.json["matrix_public"] is False

    changed = client.patch(
        url,
        json={
            "version": read.json["version"],
            "partner": "Fundacja Forum Rozwoju Nowoczesnych Technologii",
            "blocks": [
                *read.json["blocks"],
                {"title": "Współpraca w zakresie realizacji zadań publicznych"},
            ],
        },
        headers=coordinator,
    )

    assert changed.status_code == 200, changed.json
    assert [b["number"] for b in changed.json["blocks"]] == [1, 2]
    assert changed.json["groups"][0]["office_members"] == ["Urząd Miasta Leszna"]
    page = app.test_client().get(f"/regions/wielkopolskie/projects/{created.json['id']}/")
    text = page.get_data(as_text=True)
    assert "Fundacja Forum Rozwoju" in text and "Współpraca w zakresie realizacji" in text


def test_project_writes_keep_the_pages_rules(client, project, coordinator):
    url = f"{REGION}/projects/{project.id}"
    read = client.get(url).json

    backwards = client.patch(
        url, json={"version": read["version"], "ends_on": "2012-12-31"}, headers=coordinator
    )
    dropping = client.patch(
        url, json={"version": read["version"], "blocks": []}, headers=coordinator
    )
    stale = client.patch(
        url, json={"version": read["version"] - 1, "title": "X"}, headers=coordinator
    )
    untitled = client.post(f"{REGION}/projects", json={"title": ""}, headers=coordinator)

    assert backwards.status_code == 422
    assert backwards.json["detail"] == "The project cannot end before it starts."
    assert dropping.status_code == 409 and "has standards" in dropping.json["detail"]
    assert stale.status_code == 409
    assert untitled.status_code == 422
    db.session.expire_all()
    assert db.session.get(StandardsProject, project.id).title == read["title"]
    assert len(db.session.get(StandardsProject, project.id).blocks) == 1


def test_the_coordinator_writes_standards_and_their_target_dates(client, project, coordinator):
    block = project.blocks[0]
    created = client.post(
        f"{REGION}/projects/{project.id}/standards",
        json={
            "block_id": block.id,
            "title": "Rada Działalności Pożytku Publicznego",
            "description": "Powołanie rady, regulamin, wydawanie opinii w terminie.",
            "target_date": "2014-06-30",
        },
        headers=coordinator,
    )
    assert created.status_code == 201, created.json
    assert created.json["edition"] == "1.0"
    url = f"{REGION}/projects/{project.id}/standards/{created.json['id']}"

    moved = client.patch(
        url,
        json={"target_date": "2014-09-30", "edition": "1.1"},
        headers=coordinator | {"If-Match": client.get(url, headers=coordinator).headers["ETag"]},
    )
    early = client.patch(
        url,
        json={"version": moved.json["version"], "target_date": "2012-01-01"},
        headers=coordinator,
    )
    foreign_block = client.patch(
        url, json={"version": moved.json["version"], "block_id": 10**6}, headers=coordinator
    )

    assert moved.status_code == 200, moved.json
    assert (moved.json["target_date"], moved.json["edition"]) == ("2014-09-30", "1.1")
    history = db.session.scalars(
        select(StandardTargetChange.target_date).where(
            StandardTargetChange.standard_id == created.json["id"]
        )
    ).all()
    assert sorted(history) == [date(2014, 6, 30), date(2014, 9, 30)]
    assert early.status_code == 422 and "2013-01-01" in early.json["detail"]
    assert foreign_block.status_code == 422
    listed = client.get(f"{REGION}/standards?project_id={project.id}").json
    assert "Rada Działalności Pożytku Publicznego" in [s["title"] for s in listed]
    db.session.expire_all()
    assert db.session.get(Standard, created.json["id"]).target_date == date(2014, 9, 30)


def test_the_coordinator_opens_the_matrix_and_everyone_reads_it(client, app, project, coordinator):
    url = f"{REGION}/projects/{project.id}"
    matrix = f"{url}/adoption"
    assert client.get(matrix).status_code == 401
    version = client.get(url).json["version"]

    opened = client.post(
        f"{url}/publicity", json={"public": True, "version": version}, headers=coordinator
    )
    stale = client.post(
        f"{url}/publicity", json={"public": False, "version": version}, headers=coordinator
    )

    assert opened.status_code == 200 and opened.json["matrix_public"] is True
    assert stale.status_code == 409
    assert client.get(matrix).status_code == 200
    assert (
        app.test_client().get(f"/regions/wielkopolskie/projects/{project.id}/adoption").status_code
        == 200
    )
    closed = client.post(
        f"{url}/publicity",
        json={"public": False},
        headers=coordinator | {"If-Match": opened.headers["ETag"]},
    )
    assert closed.status_code == 200
    assert client.get(matrix).status_code == 401


def test_project_writes_are_the_regions_coordinators(client, make_user, project, staff):
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    other = bearer(client, "koordynator@pomorskie.pl")
    url = f"{REGION}/projects/{project.id}"
    standard = project.blocks[0].standards[0]
    writes = [
        ("POST", f"{REGION}/projects", {"title": "Projekt"}),
        ("PATCH", url, {"version": 1, "title": "Projekt"}),
        ("POST", f"{url}/publicity", {"public": True, "version": 1}),
        ("POST", f"{url}/standards", {"block_id": project.blocks[0].id, "title": "Standard"}),
        ("PATCH", f"{url}/standards/{standard.id}", {"version": 1, "title": "Standard"}),
    ]
    for method, path, body in writes:
        assert client.open(path, method=method, json=body).status_code == 401, path
        assert client.open(path, method=method, json=body, headers=staff).status_code == 403, path
        assert client.open(path, method=method, json=body, headers=other).status_code == 403, path
        if path != f"{REGION}/projects":  # this project's ids in the other region's URLs
            elsewhere = path.replace("wielkopolskie", "pomorskie")
            answer = client.open(elsewhere, method=method, json=body, headers=other)
            assert answer.status_code == 404, elsewhere
    db.session.expire_all()
    assert db.session.get(StandardsProject, project.id).title == "Wielkopolska działa razem"
    assert not db.session.get(StandardsProject, project.id).matrix_public
