"""The benchmark and its range of years list a region's local governments 30 a page with
their total (#17): the order is the whole region's and the page is cut from it, the
marshal office's row is on every page, the API pages its cities like every list, and a
page costs the same queries for five local governments as for thirty-five."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from app.extensions import cache
from tests import factories
from tests.conftest import log_in
from tests.regions.test_api import bearer

BENCHMARK = "/regions/wielkopolskie/benchmark?year=2024"
TREND = "/regions/wielkopolskie/benchmark/trend?measure=programme_on_time&from=2023&to=2024"
ADDED = [f"Gmina Testowa {number:02d}" for number in range(30)]
# By name, after the thirty added: the region's own local governments
SECOND_PAGE = ["Kalisz", "Konin", "Leszno", "Piła", "Powiat Leszczyński"]


@pytest.fixture
def coordinator(client, make_user, tenants):
    # drafted, never adopted: not adopted on time ("nie")
    factories.programme(tenants["kalisz"], year=2024)
    factories.programme(tenants["konin"], year=2023)
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="pl")
    log_in(client, "p.zielinski@umww.pl")
    return client


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _queries(client, count_queries, path: str) -> int:
    cache.clear()  # the figures computed, not served as computed before
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    return counter.count


def _rows(page: str) -> list[tuple[str, list[str]]]:
    """(the row's city, its figures as read) of the compared local governments."""
    document = lxml.html.fromstring(page)
    return [
        (
            row.xpath("string(th)").strip(),
            [cell.text_content().strip() for cell in row.xpath("td[@class='number']")],
        )
        for row in document.xpath("//main//table/tbody[not(@class)]/tr")
    ]


def _next_page(page: str) -> dict[str, list[str]]:
    """The query of the pager's link to the next page."""
    document = lxml.html.fromstring(page)
    links = document.xpath("//nav[@class='pagination']//a[contains(., 'Następna')]/@href")
    assert links
    return parse_qs(urlsplit(links[0]).query)


def test_page_two_of_the_benchmark_goes_on_with_the_31st_city_of_the_region(
    coordinator, regions, added_places, count_queries
):
    few = _queries(coordinator, count_queries, BENCHMARK)
    assert [city for city, _ in _rows(_page(coordinator, BENCHMARK))] == SECOND_PAGE
    added_places.cities(regions["wielkopolskie"], ADDED)
    cache.clear()  # as when the figures are computed again

    first = _page(coordinator, BENCHMARK)
    second = _page(coordinator, f"{BENCHMARK}&page=2")

    assert [city for city, _ in _rows(first)] == ADDED
    assert [city for city, _ in _rows(second)] == SECOND_PAGE
    # each row its own figures, not another row's: Kalisz's programme for 2024
    on_time = [figures[0] for _, figures in _rows(second)]
    assert on_time == ["nie", "brak danych", "brak danych", "brak danych", "brak danych"]
    assert "35 samorządów: widoczne 1–30; eksporty obejmują wszystkie." in first
    assert "35 samorządów: widoczne 31–35; eksporty obejmują wszystkie." in second
    assert "Strona 2 z 2" in second
    assert _next_page(first) == {"year": ["2024"], "page": ["2"]}
    for page in (first, second):  # the marshal office, apart, on every page
        assert "Samorząd województwa: Województwo Wielkopolskie" in page
    assert coordinator.get(f"{BENCHMARK}&page=3").status_code == 404
    many = [_queries(coordinator, count_queries, f"{BENCHMARK}&page={n}") for n in (1, 2)]
    assert many == [few, few]


def test_page_two_of_the_trend_keeps_the_figure_and_the_years(
    coordinator, regions, added_places, count_queries
):
    few = _queries(coordinator, count_queries, TREND)
    added_places.cities(regions["wielkopolskie"], ADDED)
    cache.clear()

    first = _page(coordinator, TREND)
    second = _page(coordinator, _next_link(first))

    assert [city for city, _ in _rows(first)] == ADDED
    assert [city for city, _ in _rows(second)] == SECOND_PAGE
    assert _rows(second)[:2] == [
        ("Kalisz", ["brak danych", "nie"]),
        ("Konin", ["nie", "brak danych"]),
    ]
    assert "35 samorządów: widoczne 31–35." in second
    assert _next_page(first) == {
        "measure": ["programme_on_time"],
        "from": ["2023"],
        "to": ["2024"],
        "page": ["2"],
    }
    many = [_queries(coordinator, count_queries, f"{TREND}&page={n}") for n in (1, 2)]
    assert many == [few, few]


def _next_link(page: str) -> str:
    document = lxml.html.fromstring(page)
    return document.xpath("//nav[@class='pagination']//a[contains(., 'Następna')]/@href")[0]


def test_the_benchmark_over_the_api_pages_its_cities_like_every_list(
    client, make_user, regions, tenants, added_places
):
    factories.programme(tenants["kalisz"], year=2024)
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    headers = bearer(client, "p.zielinski@umww.pl")
    added_places.cities(regions["wielkopolskie"], ADDED[:3])
    url = "/api/v1/regions/wielkopolskie/benchmark?year=2024"

    every = client.get(f"{url}&page_size=100", headers=headers).json
    second = client.get(f"{url}&page_size=3&page=2", headers=headers)
    default = client.get(url, headers=headers)

    slugs = [city["slug"] for city in every["cities"]]
    assert len(slugs) == 8
    assert [city["slug"] for city in second.json["cities"]] == slugs[3:6]
    assert json.loads(second.headers["X-Pagination"])["total"] == 8
    assert 'rel="next"' in second.headers["Link"] and "page=3" in second.headers["Link"]
    assert second.json["self_government"]["slug"] == "wojewodztwo-wielkopolskie"
    assert second.json["measures"] == every["measures"]
    assert len(default.json["cities"]) == 8  # fewer than a page of 20, the default
    refused = client.get(f"{url}&page_size=101", headers=headers)
    assert refused.status_code == 400
