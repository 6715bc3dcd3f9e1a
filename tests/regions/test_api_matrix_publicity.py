"""The adoption matrix over the API answers as its page: the coordinator's until they make it
public, then everyone's with the accepted rows only."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests import factories
from tests.regions.conftest import answer_of


@pytest.fixture
def project(regions, tenants):
    record = factories.standards_project(regions["wielkopolskie"], standards=2)
    first, second = record.blocks[0].standards
    factories.adoption(tenants["leszno"], first, "adopted", review="accepted")
    factories.adoption(tenants["leszno"], second, "in_progress", review="pending")
    factories.adoption(tenants["kalisz"], first, "planned", review="pending")
    return record


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
        answers = {answer_of(page.get(page_url))}
        answers |= {answer_of(client.get(url, headers=headers)) for url in api_urls}
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
