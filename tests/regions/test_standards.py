"""Standards projects of a region and the coordinator's matrix of their adoption by city."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import log_in, post_form


@pytest.fixture
def project(regions):
    return factories.standards_project(regions["wielkopolskie"])


def matrix_url(project) -> str:
    return f"/regions/wielkopolskie/projects/{project.id}/adoption"


def test_anyone_reads_the_project_and_its_standards(client, project):
    page = client.get(f"/regions/wielkopolskie/projects/{project.id}/").get_data(as_text=True)

    assert "Wielkopolska działa razem" in page
    assert "I. Tworzenie polityk publicznych" in page
    assert "Standard konsultacji nr 3" in page
    assert "Grupa 2" in page
    assert "Wielkopolska działa razem" in client.get("/regions/wielkopolskie/").get_data(
        as_text=True
    )


def test_coordinator_sees_each_citys_adoption_and_the_shares(client, make_user, tenants, project):
    first, second, third = project.blocks[0].standards
    factories.adoption(tenants["leszno"], first, "adopted")
    factories.adoption(tenants["leszno"], second, "adopted")
    factories.adoption(tenants["leszno"], third, "not_applicable")
    factories.adoption(tenants["kalisz"], first, "in_progress")
    factories.adoption(tenants["konin"], first, "not_applicable")
    factories.adoption(tenants["konin"], second, "not_applicable")
    factories.adoption(tenants["konin"], third, "not_applicable")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")

    page = client.get(matrix_url(project)).get_data(as_text=True)

    leszno_row = _row(page, "Leszno")
    assert leszno_row.count(">adopted<") == 2 and "not applicable" in leszno_row
    assert "100%" in leszno_row  # two adopted of the two that apply
    assert "in progress" in _row(page, "Kalisz") and "0%" in _row(page, "Kalisz")
    assert "no data" in _row(page, "Konin")  # nothing applies: no share, not zero
    assert "not started" in _row(page, "Piła")  # no row yet reads as not started


def test_coordinator_never_sees_a_citys_private_notes(client, make_user, tenants, project):
    standard = project.blocks[0].standards[0]
    factories.adoption(tenants["leszno"], standard, "planned", notes="Czekamy na radnego X.")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")

    page = client.get(matrix_url(project)).get_data(as_text=True)

    assert "Czekamy na radnego X." not in page


def test_the_matrix_is_for_the_regions_coordinator_only(client, make_user, project):
    make_user("admin@leszno.pl", leszno="admin")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")

    log_in(client, "admin@leszno.pl")
    assert client.get(matrix_url(project)).status_code == 403
    post_form(client, "/logout")
    log_in(client, "koordynator@pomorskie.pl")
    assert client.get(matrix_url(project)).status_code == 403
    # nor does another region's address lead to this project
    other_region_url = f"/regions/pomorskie/projects/{project.id}/adoption"
    assert client.get(other_region_url).status_code == 404
    assert client.get(f"/regions/pomorskie/projects/{project.id}/").status_code == 404


def test_the_matrix_costs_the_same_queries_for_more_cities_and_standards(
    client, make_user, regions, tenants, count_queries
):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    small = factories.standards_project(regions["wielkopolskie"], standards=2)
    large = factories.standards_project(regions["wielkopolskie"], standards=12)
    for standard in large.blocks[0].standards:
        for slug in ("leszno", "kalisz", "konin", "pila"):
            factories.adoption(tenants[slug], standard, "adopted")

    urls = [matrix_url(small), matrix_url(large)]
    counts = []
    for url in urls:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)

    assert counts[0] == counts[1]


def _row(page: str, city: str) -> str:
    start = page.index(f'<th scope="row">{city}</th>')
    return page[start : page.index("</tr>", start)]
