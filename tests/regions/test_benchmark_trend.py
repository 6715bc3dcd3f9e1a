"""The benchmark over a range of years, checked by hand: meetings held in three years, with
a city that held none in one of them ("no data" that year, never zero)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html
import pytest

from app.extensions import db
from app.meetings import services as meetings
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests.conftest import log_in


@pytest.fixture
def late_2024(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 12, 15, tzinfo=UTC))


def held(tenant, on: date) -> None:
    with tenant_scope(tenant.id):
        meetings.publish(meetings.create({"title": "Spotkanie z organizacjami", "held_on": on}))
        db.session.commit()


@pytest.fixture
def coordinator(client, make_user, late_2024):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")
    return client


def _table(page: str) -> dict[str, list[str]]:
    document = lxml.html.fromstring(page)
    return {
        row.xpath("string(th)").strip(): [
            cell.text_content().strip() for cell in row.xpath("td[@class='number']")
        ]
        for row in document.xpath("//main//table/tbody/tr")
    }


def test_each_city_year_by_year_with_no_data_never_zero(coordinator, tenants):
    leszno, kalisz = tenants["leszno"], tenants["kalisz"]
    for on in (date(2022, 3, 1), date(2022, 9, 1), date(2023, 5, 1), date(2024, 2, 1)):
        held(leszno, on)
    held(kalisz, date(2022, 4, 1))
    held(kalisz, date(2024, 4, 1))  # nothing in 2023

    page = coordinator.get(
        "/regions/wielkopolskie/benchmark/trend?measure=meetings&from=2022&to=2024"
    ).get_data(as_text=True)

    table = _table(page)
    assert '<th scope="col" class="number">2022</th>' in page
    assert table["Leszno"] == ["2", "1", "1"]
    assert table["Kalisz"] == ["1", "no data", "1"]
    assert table["Piła"] == ["no data", "no data", "no data"]


def test_a_reversed_range_is_put_in_order_with_a_message(coordinator, tenants):
    held(tenants["leszno"], date(2022, 3, 1))  # the years offered begin with the first record
    page = coordinator.get(
        "/regions/wielkopolskie/benchmark/trend?measure=nonsense&from=2024&to=2022"
    ).get_data(as_text=True)

    assert "The first year comes after the last" in page
    assert "Cooperation benchmark 2022–2024" in page


def test_the_trend_is_the_coordinators(client, make_user):
    make_user("admin@leszno.pl", leszno="admin")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    for email in ("admin@leszno.pl", "koordynator@pomorskie.pl"):
        log_in(client, email)
        assert client.get("/regions/wielkopolskie/benchmark/trend").status_code == 403
