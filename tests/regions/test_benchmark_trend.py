"""The benchmark over a range of years, checked by hand: meetings held in three years, with
a city that held none in one of them ("no data" that year, never zero); organisations
registered and archived over three years, each counted in the years it was active."""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html
import pytest

from app.extensions import db
from app.meetings import services as meetings
from app.organisations import services
from app.organisations.models import Registration
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
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


def test_past_years_count_registrations_archived_since(coordinator, tenants):
    """Registrations by their dates: one archived now counts in the years it was active."""
    leszno, kalisz = tenants["leszno"], tenants["kalisz"]
    factories.registration(leszno, since=date(2022, 3, 1))
    factories.registration(
        leszno, status="archived", since=date(2022, 6, 1), archived_on=date(2023, 9, 1)
    )
    factories.registration(
        leszno, status="archived", since=date(2023, 2, 1), archived_on=date(2024, 5, 1)
    )
    factories.registration(leszno, since=date(2023, 4, 1))
    factories.registration(leszno, since=date(2024, 1, 10))
    factories.registration(leszno, status="declined", since=date(2022, 1, 10))
    # Kalisz registered none before 2023; its only one was archived in 2024: zero, a figure
    factories.registration(
        kalisz, status="archived", since=date(2023, 5, 1), archived_on=date(2024, 3, 1)
    )

    page = coordinator.get(
        "/regions/wielkopolskie/benchmark/trend?measure=ngos_per_10k&from=2022&to=2024"
    ).get_data(as_text=True)

    table = _table(page)
    # Leszno (61,398 residents): 2 at the end of 2022, 3 in 2023, 3 in 2024
    assert table["Leszno"] == ["0.3", "0.5", "0.5"]
    # Kalisz (96,929): none yet in 2022, 1 in 2023, 0 in 2024
    assert table["Kalisz"] == ["no data", "0.1", "0"]
    assert table["Piła"] == ["no data", "no data", "no data"]


def test_archiving_a_registration_dates_it_and_bringing_it_back_clears_the_date(
    app_context, tenants, late_2024
):
    leszno = tenants["leszno"]
    record = factories.registration(leszno, since=date(2022, 3, 1))
    with tenant_scope(leszno.id):
        registration = db.session.get(Registration, record.id)
        services.save_city_record(
            registration,
            registration.lock_version,
            notes=None,
            tags=[],
            status="archived",
            fields={},
        )
        db.session.commit()
        assert registration.archived_at == datetime(2024, 12, 15, tzinfo=UTC)
        services.save_city_record(
            registration, registration.lock_version, notes=None, tags=[], status="active", fields={}
        )
        db.session.commit()
        assert registration.archived_at is None
