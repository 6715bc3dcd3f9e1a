"""The adoption matrix over the API answers as its page: the coordinator's until they make it
public, then everyone's with the accepted rows only."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests import factories
from tests.conftest import log_in
from tests.regions.test_api import bearer


@pytest.fixture
def project(regions, tenants):
    record = factories.standards_project(regions["wielkopolskie"], standards=2)
    first, second = record.blocks[0].standards
    factories.adoption(tenants["leszno"], first, "adopted", review="accepted")
    factories.adoption(tenants["leszno"], second, "in_progress", review="pending")
    factories.adoption(tenants["kalisz"], first, "planned", review="pending")
    return record


@pytest.fixture
def audiences(app, make_user):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    make_user("a.szymanska@leszno.pl", leszno="staff")
    people = {"anonymous": None, "coordinator": "p.zielinski@umww.pl"}
    people |= {"other coordinator": "koordynator@pomorskie.pl"}
    people |= {"city staff": "a.szymanska@leszno.pl"}
    doors = {}
    for who, email in people.items():
        page = app.test_client()
        headers = {}
        if email:
            log_in(page, email)
            headers = bearer(app.test_client(), email)
        doors[who] = (page, headers)
    return doors


def _answer(response) -> str:
    if response.status_code == 200:
        return "visible"
    if response.status_code == 401 or (
        response.status_code == 302 and "/login" in response.location
    ):
        return "log in"
    return str(response.status_code)


def _urls(project) -> tuple[str, list[str]]:
    page = f"/regions/wielkopolskie/projects/{project.id}/adoption"
    apis = [
        f"/api/v1/regions/wielkopolskie/adoption?project_id={project.id}",
        f"/api/v1/regions/wielkopolskie/projects/{project.id}/adoption",
    ]
    return page, apis


@pytest.mark.parametrize("public", [False, True])
def test_every_audience_reads_the_matrix_over_the_api_as_on_its_page(
    client, project, audiences, public
):
    project.matrix_public = public
    db.session.commit()
    page_url, api_urls = _urls(project)
    expected = {
        "anonymous": "visible" if public else "log in",
        "city staff": "visible" if public else "403",
        "other coordinator": "visible" if public else "403",
        "coordinator": "visible",
    }
    for who, (page, headers) in audiences.items():
        answers = {_answer(page.get(page_url))}
        answers |= {_answer(client.get(url, headers=headers)) for url in api_urls}
        assert answers == {expected[who]}, who


def test_the_public_matrix_shows_accepted_rows_only_to_all_but_the_coordinator(
    client, project, audiences
):
    project.matrix_public = True
    db.session.commit()
    first, second = (str(s.id) for s in project.blocks[0].standards)
    _, api_urls = _urls(project)
    for who, (_page, headers) in audiences.items():
        for url in api_urls:
            body = client.get(url, headers=headers).json
            cities = {c["slug"]: c for c in body["cities"]}
            if who == "coordinator":
                assert cities["leszno"]["statuses"] == {first: "adopted", second: "in_progress"}
                assert cities["leszno"]["reviews"] == {second: "pending"}
                assert cities["kalisz"]["reviews"] == {first: "pending"}
            else:
                assert cities["leszno"]["statuses"] == {first: "adopted", second: "not_started"}
                assert cities["kalisz"]["statuses"][first] == "not_started", who
                assert all(not c["reviews"] for c in body["cities"]), who
