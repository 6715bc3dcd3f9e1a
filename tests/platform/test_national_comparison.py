"""The operator's national comparison: the regions side by side, aggregates only, checked by
hand on Wielkopolska (four cities, two blocks) and Pomorze (two cities, one block)."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.platform.comparison import Adoption, national_comparison
from app.regions.models import Standard, ThematicBlock
from tests import factories
from tests.conftest import log_in


@pytest.fixture
def projects(regions, tenants):
    wielkopolska = factories.standards_project(regions["wielkopolskie"], standards=3)
    second = ThematicBlock(number=2, title="Realizacja zadań publicznych")
    second.standards = [Standard(position=0, title="Standard małych grantów")]
    wielkopolska.blocks.append(second)
    db.session.commit()
    one, two, three = wielkopolska.blocks[0].standards
    factories.adoption(tenants["leszno"], one, "adopted", review="accepted")
    factories.adoption(tenants["leszno"], two, "adopted", review="pending")  # not yet
    factories.adoption(tenants["kalisz"], three, "not_applicable", review="accepted")
    factories.adoption(tenants["pila"], one, "adopted")  # recorded before reviews
    factories.adoption(tenants["leszno"], second.standards[0], "adopted", review="accepted")
    pomorze = factories.standards_project(regions["pomorskie"], standards=2)
    factories.adoption(tenants["gdansk"], pomorze.blocks[0].standards[0], "adopted")
    factories.adoption(tenants["sopot"], pomorze.blocks[0].standards[1], "planned")
    return wielkopolska, pomorze


def test_figures_of_two_regions(projects):
    by_slug = {r.region.slug: r for r in national_comparison()}
    wielkopolska, pomorze = by_slug["wielkopolskie"], by_slug["pomorskie"]

    # four cities and Powiat Leszczyński; the marshal office is not one of the compared
    assert (wielkopolska.cities, pomorze.cities) == (5, 2)
    first, second = wielkopolska.blocks
    # block I: 5 local governments × 3 standards, 2 adopted, 1 not applicable
    assert first.adoption.share == pytest.approx(2 / 14)
    assert second.adoption.share == pytest.approx(1 / 5)
    assert wielkopolska.adoption.share == pytest.approx(3 / 19)
    assert pomorze.adoption.share == pytest.approx(1 / 4)
    assert by_slug["malopolskie"].adoption is None, "no project: no data, not zero"


def test_the_marshal_offices_adoption_is_not_summed_as_its_cells_are_not_counted(projects, tenants):
    wielkopolska, _ = projects
    one, two, three = wielkopolska.blocks[0].standards
    marshal = tenants["wojewodztwo-wielkopolskie"]
    for standard in (two, three):
        factories.adoption(marshal, standard, "adopted", review="accepted")
    factories.adoption(marshal, one, "not_applicable", review="accepted")
    factories.adoption(tenants["powiat-leszczynski"], two, "adopted", review="accepted")

    first = {r.region.slug: r for r in national_comparison()}["wielkopolskie"].blocks[0]

    # Leszno's, Piła's and the powiat's adoptions, Kalisz's "not applicable"; 5 × 3 cells
    assert first.adoption == Adoption(adopted=3, not_applicable=1, cells=15)


def test_the_page_shows_regions_never_a_city(client, make_user, projects):
    make_user("operator@razem.pl", operator=True, locale="en")
    log_in(client, "operator@razem.pl")
    page = client.get("/platform/regions").get_data(as_text=True)

    assert "Greater Poland Voivodeship" in page
    assert "16%" in page and "25%" in page and "14%" in page
    for city in ("Leszno", "Kalisz", "Gdańsk", "Sopot"):
        assert city not in page
    assert "/platform/regions" in client.get("/platform/").get_data(as_text=True)


@pytest.mark.parametrize(
    "who", [{"coordinator_of": "wielkopolskie"}, {"leszno": "admin"}], ids=["coordinator", "city"]
)
def test_only_the_operator_compares_the_regions(client, make_user, who):
    make_user("someone@razem.pl", **who)
    log_in(client, "someone@razem.pl")

    assert client.get("/platform/regions").status_code == 403


def test_the_page_does_not_grow_with_regions_and_cities(
    client, make_user, projects, added_places, count_queries
):
    make_user("operator@razem.pl", operator=True)
    log_in(client, "operator@razem.pl")
    client.get("/platform/regions")
    with count_queries() as counter:
        assert client.get("/platform/regions").status_code == 200
    before = counter.count

    lubuskie = added_places.region("lubuskie", "08", {"pl": "lubuskie", "en": "Lubusz"})
    gorzow, *_ = added_places.cities(lubuskie, ["Gorzów Wielkopolski", "Zielona Góra", "Nowa Sól"])
    project = factories.standards_project(lubuskie, standards=4)
    factories.adoption(gorzow, project.blocks[0].standards[0], "adopted")
    with count_queries() as counter:
        page = client.get("/platform/regions")

    assert page.status_code == 200 and "lubuskie" in page.get_data(as_text=True)
    assert counter.count == before
