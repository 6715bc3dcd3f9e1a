"""The coordinator writes the project, its blocks, groups and standards, and decides whether
the adoption matrix is public; cities' meetings belong to a block of the project."""

from __future__ import annotations

from datetime import date

import pytest

from app import unit_of_work
from app.extensions import db
from app.meetings import services as meetings
from app.regions.models import StandardsProject
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form


@pytest.fixture
def coordinator(client, make_user):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")
    return client


def _project_form(**changes) -> dict:
    form = {
        "version": "0",
        "title": "Wielkopolska działa razem",
        "starts_on": "2013-01-01",
        "ends_on": "2014-12-31",
        "funding_source": "Europejski Fundusz Społeczny",
        "partner": "Fundacja Forum Rozwoju Nowoczesnych Technologii",
        "blocks-0-title": "Tworzenie polityk publicznych",
        "blocks-1-title": "Infrastruktura współpracy",
        "groups-0-name": "Grupa standaryzacyjna nr 1",
        "groups-0-office_members": "Urząd Miasta Leszna\nUrząd Miasta Kalisza",
        "groups-0-ngo_members": "Stowarzyszenie „ECHO”",
    }
    return {**form, **changes}


def _latest_project() -> StandardsProject:
    db.session.expire_all()
    return db.session.scalars(
        db.select(StandardsProject).order_by(StandardsProject.id.desc())
    ).first()


def test_the_coordinator_writes_a_project_and_its_standards(coordinator, app_context):
    response = post_form(coordinator, "/regions/wielkopolskie/projects/new", _project_form())
    assert response.status_code == 302
    project = _latest_project()
    assert [b.title for b in project.blocks] == [
        "Tworzenie polityk publicznych",
        "Infrastruktura współpracy",
    ]
    assert project.groups[0].office_members == ["Urząd Miasta Leszna", "Urząd Miasta Kalisza"]

    response = post_form(
        coordinator,
        f"/regions/wielkopolskie/projects/{project.id}/standards/new",
        {
            "version_lock": "0",
            "title": "Konsultowanie projektów aktów prawa miejscowego",
            "block_id": str(project.blocks[0].id),
            "group_id": str(project.groups[0].id),
            "procedures": "Ogłoszenie konsultacji co najmniej 14 dni przed terminem.",
            "recommendations": "Raport z konsultacji z odpowiedzią na każdą uwagę.",
            "version": "1.0",
            "position": "1",
        },
    )
    assert response.status_code == 302
    page = coordinator.get(f"/regions/wielkopolskie/projects/{project.id}/").get_data(as_text=True)
    assert "Konsultowanie projektów aktów prawa miejscowego" in page
    assert "Prepared by: Grupa standaryzacyjna nr 1" in page
    assert "Raport z konsultacji z odpowiedzią na każdą uwagę." in page
    assert "Urząd Miasta Kalisza" in page


def test_a_block_with_standards_is_never_dropped(coordinator, regions):
    project = factories.standards_project(regions["wielkopolskie"], standards=1)
    url = f"/regions/wielkopolskie/projects/{project.id}/edit"

    response = post_form(
        coordinator,
        url,
        _project_form(
            version=str(project.lock_version), **{"blocks-0-title": "", "blocks-1-title": ""}
        ),
    )

    assert response.status_code == 409
    assert "has standards" in response.get_data(as_text=True)
    assert [b.title for b in _latest_project().blocks] == ["Tworzenie polityk publicznych"]


def test_a_stale_project_form_is_refused_and_kept(coordinator, regions):
    project = factories.standards_project(regions["wielkopolskie"], standards=1)
    url = f"/regions/wielkopolskie/projects/{project.id}/edit"
    kept_rows = {
        "blocks-0-id": str(project.blocks[0].id),
        "blocks-1-title": "",
        "groups-0-id": str(project.groups[0].id),
    }
    saved = post_form(coordinator, url, _project_form(version="1", **kept_rows))
    assert saved.status_code == 302

    stale = post_form(
        coordinator, url, _project_form(version="1", title="Inny tytuł projektu", **kept_rows)
    )

    assert stale.status_code == 409
    assert "Inny tytuł projektu" in stale.get_data(as_text=True)
    assert _latest_project().title == "Wielkopolska działa razem"


def test_bad_project_input_is_explained(coordinator):
    response = post_form(
        coordinator,
        "/regions/wielkopolskie/projects/new",
        _project_form(title="", starts_on="2014-01-01", ends_on="2013-01-01"),
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This field is required." in page and "cannot end before it starts" in page
    assert _latest_project() is None


def test_writing_projects_is_for_the_regions_coordinator(client, make_user, regions):
    wielkopolska = factories.standards_project(regions["wielkopolskie"], standards=1)
    standard_id = wielkopolska.blocks[0].standards[0].id
    make_user("admin@leszno.pl", leszno="admin")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    base = f"/regions/wielkopolskie/projects/{wielkopolska.id}"
    urls = [
        "/regions/wielkopolskie/projects/new",
        f"{base}/edit",
        f"{base}/standards/new",
        f"{base}/standards/{standard_id}/edit",
    ]
    for email in ("admin@leszno.pl", "koordynator@pomorskie.pl"):
        log_in(client, email)
        for url in urls:
            assert client.get(url).status_code == 403, url
        assert post_form(client, f"{base}/publicity?public=1").status_code == 403
        post_form(client, "/logout")
    log_in(client, "koordynator@pomorskie.pl")
    foreign = f"/regions/pomorskie/projects/{wielkopolska.id}"
    assert client.get(f"{foreign}/edit").status_code == 404
    assert client.get(f"{foreign}/standards/{standard_id}/edit").status_code == 404
    own = factories.standards_project(regions["pomorskie"], standards=1)
    url = f"/regions/pomorskie/projects/{own.id}/standards/{standard_id}/edit"
    assert client.get(url).status_code == 404  # another project's standard


def test_a_public_matrix_is_open_to_everyone_without_its_tools(client, coordinator, regions):
    project = factories.standards_project(regions["wielkopolskie"], standards=1)
    url = f"/regions/wielkopolskie/projects/{project.id}/adoption"
    post_form(coordinator, f"/regions/wielkopolskie/projects/{project.id}/publicity?public=1")
    post_form(coordinator, "/logout")

    page = client.get(url)

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Standard konsultacji nr 1" in text and "/adoption/export" not in text
    assert "/reviews" not in text
    export = post_form(client, f"{url}/export", {"file_format": "csv"})
    assert export.status_code == 302 and "/login" in export.location


def test_a_private_matrix_asks_a_visitor_to_log_in(client, regions):
    project = factories.standards_project(regions["wielkopolskie"], standards=1)

    response = client.get(f"/regions/wielkopolskie/projects/{project.id}/adoption")

    assert response.status_code == 302 and "/login" in response.location


def test_the_project_lists_its_meetings_with_attendance(client, regions, tenants):
    project = factories.standards_project(regions["wielkopolskie"], standards=1)
    block = project.blocks[0]
    for slug, people in (("kalisz", 21), ("leszno", 18)):
        with tenant_scope(tenants[slug].id):
            meeting = meetings.create(
                {
                    "title": "Spotkanie partycypacyjne – blok I",
                    "held_on": date(2013, 10, 8),
                    "people_count": people,
                    "thematic_block_id": block.id,
                }
            )
            meetings.publish(meeting)
            unit_of_work.commit()
    with tenant_scope(tenants["konin"].id):  # a draft is not listed
        meetings.create(
            {"title": "Szkic", "held_on": date(2013, 10, 15), "thematic_block_id": block.id}
        )
        unit_of_work.commit()

    page = client.get(f"/regions/wielkopolskie/projects/{project.id}/").get_data(as_text=True)

    assert page.count("Spotkanie partycypacyjne – blok I") == 2
    assert "Kalisz: 21" in page and "Leszno: 18" in page and "Szkic" not in page


def test_a_meeting_belongs_only_to_a_block_of_its_own_region(app_context, regions, tenants):
    foreign = factories.standards_project(regions["pomorskie"], standards=1)
    programme = factories.programme(tenants["kalisz"], year=2031)

    with tenant_scope(tenants["leszno"].id):
        with pytest.raises(meetings.LinkError):
            meetings.create(
                {
                    "title": "Spotkanie",
                    "held_on": date(2024, 1, 1),
                    "thematic_block_id": foreign.blocks[0].id,
                }
            )
        with pytest.raises(meetings.LinkError):  # another city's programme
            meetings.create(
                {"title": "Spotkanie", "held_on": date(2024, 1, 1), "programme_id": programme.id}
            )


def test_the_api_refuses_a_block_of_another_region(client, make_user, regions):
    foreign = factories.standards_project(regions["pomorskie"], standards=1)
    make_user("a.szymanska@leszno.pl", leszno="staff")
    from tests.conftest import PASSWORD

    token = client.post(
        "/api/v1/auth/token", json={"email": "a.szymanska@leszno.pl", "password": PASSWORD}
    ).json["token"]
    response = client.post(
        "/api/v1/tenants/leszno/meetings",
        json={
            "title": "Spotkanie",
            "held_on": "2024-01-10",
            "thematic_block_id": foreign.blocks[0].id,
        },
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 422
    assert "bloku tematycznego" in response.json["detail"]  # Polish, the default language


def test_the_coordinator_sees_what_needs_them_on_the_region_page(
    app, client, coordinator, make_user, regions, tenants
):
    """Rows waiting for review (per project, linked), cities gone quiet, meetings ahead."""
    from datetime import timedelta

    from app.tenancy import clock

    project = factories.standards_project(regions["wielkopolskie"], standards=2)
    first, second = project.blocks[0].standards
    factories.adoption(tenants["leszno"], first, "adopted", review="pending")
    factories.adoption(tenants["kalisz"], second, "adopted", review="pending")
    factories.adoption(tenants["konin"], first, "planned", review="accepted")
    with tenant_scope(tenants["kalisz"].id):
        ahead = meetings.create(
            {
                "title": "Forum organizacji – blok I",
                "held_on": clock.today() + timedelta(days=9),
                "thematic_block_id": project.blocks[0].id,
            }
        )
        meetings.publish(ahead)
        unit_of_work.commit()
        ahead_id = ahead.id

    page = client.get("/regions/wielkopolskie/").get_data(as_text=True)

    assert "2 cities' adoptions wait for your review" in page
    assert f"/regions/wielkopolskie/projects/{project.id}/reviews" in page
    assert "Forum organizacji – blok I" in page and f"/kalisz/meetings/{ahead_id}" in page
    assert 'No changes in Razem in the last 30 days: <a href="/pila/">Piła</a>' in page

    make_user("mieszkanka@example.org", locale="en")
    resident = app.test_client()
    log_in(resident, "mieszkanka@example.org")
    assert "What needs you" not in resident.get("/regions/wielkopolskie/").get_data(as_text=True)
