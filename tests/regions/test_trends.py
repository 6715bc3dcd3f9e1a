"""Past years reconstructed from dated records, checked by hand on three cities of
Wielkopolska over 2022–2024 (on 15 December 2024):

                      2022                2023                2024
Leszno registrations  2 (March 2022)      +1 (June 2023)      +1 (February 2024)
       programmes     2022, on time       2023, late          2024, on time
       meetings       2                   1                   1
Kalisz registrations  none                1 (May 2023)        (still 1)
       programmes     2022, late          none                2024, on time
       meetings       1                   none                1
Piła                  nothing at all
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html
import pytest

from app.extensions import db
from app.meetings import services as meetings
from app.programmes.models import Programme
from app.regions.benchmark import MEASURES, benchmark, benchmarks
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in

LESZNO, KALISZ = 61_398, 96_929  # residents (GUS)


def held(tenant, on: date) -> None:
    with tenant_scope(tenant.id):
        meetings.publish(meetings.create({"title": "Spotkanie z organizacjami", "held_on": on}))
        db.session.commit()


def programme(tenant, year: int, adopted_on: date, budget: int) -> None:
    record = factories.programme(tenant, year=year)
    with tenant_scope(tenant.id):
        db.session.execute(
            db.update(Programme)
            .where(Programme.id == record.id)
            .values(resolution_date=adopted_on, budget=budget)
        )
        db.session.commit()


@pytest.fixture
def three_years(app_context, tenants, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 12, 15, tzinfo=UTC))
    leszno, kalisz = tenants["leszno"], tenants["kalisz"]
    for since in (date(2022, 3, 1), date(2022, 3, 8), date(2023, 6, 1), date(2024, 2, 1)):
        factories.registration(leszno, since=since)
    factories.registration(leszno, status="requested", since=date(2022, 5, 1))  # never active
    factories.registration(kalisz, since=date(2023, 5, 10))
    programme(leszno, 2022, date(2021, 11, 25), 1_000_000)
    programme(leszno, 2023, date(2022, 12, 5), 1_100_000)
    programme(leszno, 2024, date(2023, 11, 28), 1_250_000)
    programme(kalisz, 2022, date(2021, 12, 20), 2_000_000)
    programme(kalisz, 2024, date(2023, 11, 30), 2_400_000)
    for on in (date(2022, 3, 1), date(2022, 9, 1), date(2023, 5, 1), date(2024, 2, 1)):
        held(leszno, on)
    held(kalisz, date(2022, 4, 1))
    held(kalisz, date(2024, 4, 1))
    return tenants


def by_year(tenants, key: str, slug: str) -> list:
    yearly = benchmarks(tenants["leszno"].region, [2022, 2023, 2024])
    return [
        next(c.values.get(key) for c in figures.cities if c.city.slug == slug) for figures in yearly
    ]


def test_ngos_per_10k_counts_the_registrations_made_by_each_years_end(three_years):
    leszno = by_year(three_years, "ngos_per_10k", "leszno")
    kalisz = by_year(three_years, "ngos_per_10k", "kalisz")

    assert leszno == pytest.approx([2e4 / LESZNO, 3e4 / LESZNO, 4e4 / LESZNO])
    assert kalisz[0] is None, "no registration before 2023: no data, never zero"
    assert kalisz[1:] == pytest.approx([1e4 / KALISZ, 1e4 / KALISZ])
    assert by_year(three_years, "ngos_per_10k", "pila") == [None, None, None]


def test_programmes_and_meetings_are_those_of_each_year(three_years):
    assert by_year(three_years, "programme_on_time", "leszno") == [True, False, True]
    assert by_year(three_years, "programme_on_time", "kalisz") == [False, None, True]
    assert by_year(three_years, "meetings", "leszno") == [2, 1, 1]
    assert by_year(three_years, "meetings", "kalisz") == [1, None, 1]
    budgets = by_year(three_years, "budget_per_resident", "kalisz")
    assert budgets[1] is None and float(budgets[2]) == pytest.approx(2_400_000 / KALISZ)
    assert by_year(three_years, "meetings", "pila") == [None, None, None]


def test_a_range_of_years_gives_what_each_year_alone_gives(three_years):
    region = three_years["leszno"].region
    together = benchmarks(region, [2022, 2023, 2024])

    for figures in together:
        alone = benchmark(region, figures.year)
        assert [c.values for c in alone.cities] == [c.values for c in figures.cities]


@pytest.fixture
def coordinator(client, make_user, three_years):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")
    return client


def test_each_city_has_a_small_chart_with_its_figures_in_words(coordinator):
    page = coordinator.get(
        "/regions/wielkopolskie/benchmark/trend?measure=meetings&from=2022&to=2024"
    ).get_data(as_text=True)

    rows = {
        row.xpath("string(th)").strip(): row
        for row in lxml.html.fromstring(page).xpath("//main//table/tbody/tr")
    }
    kalisz = rows["Kalisz"].xpath(".//td[@class='sparkline']/svg")[0]
    assert kalisz.get("role") == "img"
    assert kalisz.get("aria-label") == ("Meetings held in Kalisz — 2022: 1; 2023: no data; 2024: 1")
    assert len(kalisz.xpath("path")) == 0, "a year with no data breaks the line"
    assert len(kalisz.xpath("circle")) == 2
    assert len(rows["Leszno"].xpath(".//td[@class='sparkline']/svg/path")) == 1
    assert rows["Piła"].xpath("string(td[@class='sparkline'])").strip() == "no data"


def test_the_years_reach_back_to_the_regions_earliest_record(coordinator, regions):
    factories.standards_project(regions["wielkopolskie"])  # starts on ...
    from app.regions.models import StandardsProject

    db.session.execute(db.update(StandardsProject).values(starts_on=date(2013, 1, 15)))
    db.session.commit()

    page = coordinator.get("/regions/wielkopolskie/benchmark").get_data(as_text=True)
    offered = lxml.html.fromstring(page).xpath("//select[@id='year']/option/@value")

    assert offered[0] == "2024" and offered[-1] == "2013"
    assert coordinator.get("/regions/wielkopolskie/benchmark?year=2012").status_code == 200


def test_years_without_any_record_are_not_offered(coordinator):
    page = coordinator.get("/regions/wielkopolskie/benchmark/trend").get_data(as_text=True)

    offered = lxml.html.fromstring(page).xpath("//select[@id='from']/option/@value")
    assert offered == ["2022", "2023", "2024"]  # the first meeting, in March 2022


def test_every_measure_has_a_trend_page(coordinator):
    for measure in MEASURES:
        url = f"/regions/wielkopolskie/benchmark/trend?measure={measure.key}&from=2022&to=2024"
        assert coordinator.get(url).status_code == 200
