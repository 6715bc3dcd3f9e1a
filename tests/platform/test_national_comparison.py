"""The operator's national comparison: the regions side by side, aggregates only, checked by
hand on Wielkopolska (four cities, two blocks) and Pomorze (two cities, one block), and the
medians of the cooperation benchmark, checked by hand and against the region's own."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime

import lxml.html
import pytest

from app.extensions import db
from app.meetings import services as meetings
from app.platform.comparison import Adoption, national_comparison
from app.programmes.models import Programme, Proposal
from app.regions import benchmark
from app.regions.models import Standard, ThematicBlock
from app.tenancy import clock
from app.tenancy.before_scope import RegionMedian
from app.tenancy.context import tenant_scope
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


# The benchmark's medians, checked by hand on 2023 and 2024 (on 15 December 2024).


@pytest.fixture
def late_2024(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 12, 15, 12, tzinfo=UTC))


def programme(tenant, year: int, **fields) -> Programme:
    record = factories.programme(tenant, year=year)
    if not fields:
        return record
    with tenant_scope(tenant.id):
        db.session.execute(db.update(Programme).where(Programme.id == record.id).values(**fields))
        db.session.commit()
    return record


def held(tenant, on: date, published: bool = True) -> None:
    with tenant_scope(tenant.id):
        record = meetings.create({"title": "Spotkanie z organizacjami", "held_on": on})
        if published:
            meetings.publish(record)
        db.session.commit()


def registered(tenant, since: date, archived_on: date | None = None) -> None:
    status = "archived" if archived_on else "active"
    factories.registration(tenant, status=status, since=since, archived_on=archived_on)


@pytest.fixture
def benchmarked(app_context, tenants, late_2024):
    """Wielkopolska's four cities (Konin with no programme), its powiat and its marshal
    office, which both do everything and must change no median; Gdańsk and Sopot."""
    leszno, kalisz, pila, konin = (tenants[s] for s in ("leszno", "kalisz", "pila", "konin"))
    current = programme(leszno, 2024, resolution_date=date(2023, 11, 28), budget=1_227_960)
    programme(leszno, 2023, report_published_on=date(2024, 5, 20))
    programme(kalisz, 2024, resolution_date=date(2023, 12, 12), budget=969_290)
    programme(kalisz, 2023)  # its report on 2023 never published
    programme(pila, 2024)
    answered = factories.proposal(leszno, current)
    factories.proposal(leszno, current)
    with tenant_scope(leszno.id):
        db.session.execute(
            db.update(Proposal).where(Proposal.id == answered.id).values(answer="accepted")
        )
        db.session.commit()
    for on, published in ((date(2024, 3, 14), True), (date(2024, 6, 20), False)):
        held(leszno, on, published)
    held(leszno, date(2024, 9, 10))
    held(leszno, date(2023, 9, 10))  # another year
    held(kalisz, date(2024, 4, 4))
    held(konin, date(2024, 2, 2), published=False)
    held(konin, date(2024, 10, 2), published=False)
    for _ in range(3):
        registered(leszno, date(2023, 3, 1))
    registered(leszno, date(2022, 3, 1), archived_on=date(2024, 3, 1))  # counted in 2023 only
    registered(kalisz, date(2021, 3, 1), archived_on=date(2023, 6, 1))  # 2023: data, zero
    registered(kalisz, date(2024, 2, 1))
    registered(konin, date(2024, 1, 15))
    registered(konin, date(2024, 5, 15))
    factories.registration(konin, status="requested")
    for local_government in (tenants["powiat-leszczynski"], tenants["wojewodztwo-wielkopolskie"]):
        programme(local_government, 2024, resolution_date=date(2023, 10, 1), budget=5_000_000)
        programme(local_government, 2023, report_published_on=date(2024, 4, 1))
        for month in range(1, 5):
            held(local_government, date(2024, month, 10))
        registered(local_government, date(2020, 1, 1))
    programme(tenants["gdansk"], 2024, resolution_date=date(2023, 11, 30))
    held(tenants["sopot"], date(2024, 5, 5))
    return tenants


def medians(year: int, region: str = "wielkopolskie") -> dict[str, RegionMedian]:
    return {r.region.slug: r.medians for r in national_comparison(year)}[region]


def test_the_medians_of_a_region_checked_by_hand(benchmarked):
    figures = medians(2024)

    # on time: Leszno yes, Kalisz (12 December) and Piła (no resolution) no; Konin no programme
    assert (figures["programme_on_time"].mean, figures["programme_on_time"].cities) == (
        pytest.approx(1 / 3),
        3,
    )
    # the report on 2023: Leszno's on 20 May, Kalisz's never (due on 31 May); Piła had none
    assert figures["report_on_time"].mean == pytest.approx(1 / 2)
    assert figures["report_on_time"].cities == 2
    # active at the end of 2024: Leszno 3 (the fourth archived in March), Kalisz 1, Konin 2
    assert figures["ngos_per_10k"].median == pytest.approx(2 * 10_000 / 70_258)
    assert figures["ngos_per_10k"].cities == 3
    assert figures["proposals"].median == 0  # 2, 0, 0
    assert figures["proposals_answered"].median == pytest.approx(1 / 2)  # Leszno's alone
    assert "comments_answered" not in figures, "no comment anywhere: no data, not zero"
    assert figures["meetings"].median == 2  # Leszno 3, Konin 2, Kalisz 1; 2023's not counted
    assert figures["minutes_published"].median == pytest.approx(2 / 3)  # 2/3, 1, 0
    assert figures["budget_per_resident"].median == pytest.approx((20 + 10) / 2)
    assert figures["budget_per_resident"].cities == 2


def test_a_past_year_counts_registrations_archived_since(benchmarked):
    figures = medians(2023)

    # Leszno 3 + the one archived in 2024; Kalisz had registered one, archived in 2023: zero,
    # a figure; Konin registered none by then: no data
    assert figures["ngos_per_10k"].cities == 2
    assert figures["ngos_per_10k"].median == pytest.approx((4 * 10_000 / 61_398 + 0) / 2)
    assert figures["meetings"].median == 1
    # Leszno's and Kalisz's programmes for 2023 were adopted on no date on record: a figure
    assert (figures["programme_on_time"].mean, figures["programme_on_time"].cities) == (0, 2)
    assert "report_on_time" not in figures, "no programme for 2022: no report due"


def test_the_medians_are_those_of_the_regions_own_benchmark(benchmarked):
    """The operator's medians and the region's benchmark compute each figure the same way."""
    municipalities = {t.id for t in benchmarked.values() if t.kind not in ("county", "voivodeship")}
    for year in (2023, 2024):
        region = benchmarked["leszno"].region
        cities = [
            c for c in benchmark.benchmark(region, year).cities if c.city.id in municipalities
        ]
        by_measure = medians(year)
        for measure in benchmark.MEASURES:
            values = [
                c.values[measure.key] for c in cities if c.values.get(measure.key) is not None
            ]
            if not values:
                assert measure.key not in by_measure, (year, measure.key)
                continue
            found = by_measure[measure.key]
            assert found.cities == len(values), (year, measure.key)
            assert found.median == pytest.approx(float(statistics.median(values)))
            assert found.mean == pytest.approx(float(statistics.mean(values)))


def test_regions_without_data_show_no_data(benchmarked):
    assert medians(2024, "malopolskie") == {}
    pomorze = medians(2024, "pomorskie")
    assert pomorze["programme_on_time"].mean == 1 and pomorze["meetings"].median == 1


def test_the_page_shows_the_regions_medians_never_a_city(client, make_user, benchmarked):
    make_user("operator@razem.pl", operator=True, locale="en")
    log_in(client, "operator@razem.pl")
    page = client.get("/platform/regions?year=2024").get_data(as_text=True)

    document = lxml.html.fromstring(page)
    rows = {
        row.xpath("string(th)").strip(): [
            " ".join(cell.text_content().split()) for cell in row.xpath("td")
        ]
        for row in document.xpath("//table[.//th[contains(., 'NGOs per 10,000')]]/tbody/tr")
    }
    assert rows["Greater Poland Voivodeship"][:3] == [
        "33% of 3 municipalities",
        "50% of 2 municipalities",
        "0.3 of 3 municipalities",
    ]
    assert rows["Lesser Poland Voivodeship"] == ["no data"] * len(benchmark.MEASURES)
    assert "Cooperation benchmark 2024" in page
    for city in ("Leszno", "Kalisz", "Konin", "Piła", "Gdańsk", "Sopot"):
        assert city not in page


def test_without_a_year_the_latest_programme_year(client, make_user, benchmarked):
    make_user("operator@razem.pl", operator=True, locale="en")
    log_in(client, "operator@razem.pl")

    assert "Cooperation benchmark 2024" in client.get("/platform/regions").get_data(as_text=True)
    page = client.get("/platform/regions?year=1990").get_data(as_text=True)
    assert "Cooperation benchmark 2024" in page, "a year not offered: the latest"
    assert '<option value="2020">' in page, "back to the earliest record (a registration)"
