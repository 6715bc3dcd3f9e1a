"""The adoption matrix's body (its table, shares and progress) is rendered once for everyone
who may see it and kept until the data it shows changes; the page around it, its access
checks and the record of a coordinator's read stay each person's own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.tenancy.cross_tenant import CrossTenantRead
from tests import factories
from tests.conftest import csrf_secret, csrf_secrets, log_in, post_form


@pytest.fixture
def project(regions):
    return factories.standards_project(regions["wielkopolskie"])


@pytest.fixture
def coordinators(make_user):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    make_user("m.nowak@umww.pl", coordinator_of="wielkopolskie", locale="en")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie", locale="en")


def matrix_url(project, region: str = "wielkopolskie") -> str:
    return f"/regions/{region}/projects/{project.id}/adoption"


def test_a_second_coordinator_is_shown_the_kept_body_in_a_page_of_their_own(
    app, client, coordinators, tenants, project, count_queries
):
    factories.adoption(tenants["leszno"], project.blocks[0].standards[0], "adopted")
    log_in(client, "p.zielinski@umww.pl")
    with count_queries(kept=True) as rendered:
        first = client.get(matrix_url(project)).get_data(as_text=True)
    post_form(client, "/logout")
    log_in(client, "m.nowak@umww.pl")

    with count_queries(kept=True) as kept:
        second = client.get(matrix_url(project)).get_data(as_text=True)

    assert kept.count < rendered.count
    assert not any(_lists_the_regions_cities(statement) for statement in kept.statements)
    assert _row(second, "Leszno") == _row(first, "Leszno")
    assert ">adopted<" in _row(second, "Leszno")
    # each person's form is their own
    assert csrf_secrets(app, second) == {csrf_secret(app, client)} != csrf_secrets(app, first)


def test_a_citys_change_shows_in_the_kept_body_at_once(
    client, make_user, coordinators, tenants, project
):
    standard = project.blocks[0].standards[0]
    make_user("a.szymanska@leszno.pl", leszno="admin", locale="en")
    log_in(client, "p.zielinski@umww.pl")
    assert "not started" in _row(client.get(matrix_url(project)).get_data(as_text=True), "Leszno")
    post_form(client, "/logout")
    log_in(client, "a.szymanska@leszno.pl")
    post_form(client, f"/leszno/standards/{standard.id}", {"version": "0", "status": "adopted"})
    post_form(client, "/logout")
    log_in(client, "m.nowak@umww.pl")

    page = client.get(matrix_url(project)).get_data(as_text=True)

    assert ">adopted<" in _row(page, "Leszno")


def test_another_project_or_region_never_sees_the_kept_body(
    client, coordinators, regions, tenants, project
):
    other_project = factories.standards_project(regions["wielkopolskie"])
    pomeranian = factories.standards_project(regions["pomorskie"])
    factories.adoption(tenants["leszno"], project.blocks[0].standards[0], "adopted")
    factories.adoption(tenants["gdansk"], pomeranian.blocks[0].standards[0], "in_progress")
    log_in(client, "p.zielinski@umww.pl")
    assert ">adopted<" in _row(client.get(matrix_url(project)).get_data(as_text=True), "Leszno")

    other = client.get(matrix_url(other_project)).get_data(as_text=True)
    assert ">adopted<" not in _row(other, "Leszno")
    post_form(client, "/logout")
    log_in(client, "koordynator@pomorskie.pl")

    assert client.get(matrix_url(project)).status_code == 403
    assert client.get(matrix_url(project, region="pomorskie")).status_code == 404
    own = client.get(matrix_url(pomeranian, region="pomorskie")).get_data(as_text=True)
    assert "in progress" in _row(own, "Gdańsk") and "Leszno" not in own


def test_every_read_of_the_kept_body_is_on_record(client, coordinators, project):
    log_in(client, "p.zielinski@umww.pl")
    before = db.session.scalar(select(func.count()).select_from(CrossTenantRead))

    for _ in range(2):
        assert client.get(matrix_url(project)).status_code == 200

    assert db.session.scalar(select(func.count()).select_from(CrossTenantRead)) == before + 2


def _lists_the_regions_cities(statement: str) -> bool:
    return "FROM tenants" in statement and "ORDER BY tenants.slug" in statement


def _row(page: str, city: str) -> str:
    start = page.index(f'<th scope="row">{city}')
    return page[start : page.index("</tr>", start)]
