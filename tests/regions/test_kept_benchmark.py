"""The benchmark's tables (one year, and one figure over the years) are rendered once for
everyone who may read them in each period of BENCHMARK_MAX_AGE_SECONDS, the period the
figures themselves are computed for; the page around them, its access checks and the
record of a coordinator's read stay each person's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import template_rendered
from sqlalchemy import func, select

from app.extensions import db
from app.tenancy import clock
from app.tenancy.cross_tenant import CrossTenantRead
from tests import factories
from tests.conftest import log_in, post_form

BENCHMARK = "/regions/wielkopolskie/benchmark?year=2024"
TREND = "/regions/wielkopolskie/benchmark/trend?measure=programme_on_time&from=2023&to=2024"
NOW = datetime(2024, 7, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def now(monkeypatch):
    moment = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def coordinators(make_user, tenants, now):
    factories.programme(tenants["kalisz"], year=2024)  # drafted: not adopted on time
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    make_user("m.nowak@umww.pl", coordinator_of="wielkopolskie", locale="en")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie", locale="en")


@pytest.fixture
def tables_rendered(app):
    """The names of the templates rendered while the test runs."""
    names: list[str] = []

    def note(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(note, app)
    yield names
    template_rendered.disconnect(note, app)


@pytest.mark.parametrize(
    ("path", "table"),
    [(BENCHMARK, "regions/_benchmark_body.html"), (TREND, "regions/_benchmark_trend_body.html")],
)
def test_a_second_coordinator_is_shown_the_kept_table_in_a_page_of_their_own(
    client, coordinators, tables_rendered, path, table
):
    log_in(client, "p.zielinski@umww.pl")
    first = _page(client, path)
    post_form(client, "/logout")
    log_in(client, "m.nowak@umww.pl")

    second = _page(client, path)

    assert tables_rendered.count(table) == 1
    assert _row(second, "Kalisz") == _row(first, "Kalisz")
    assert "Konin" in second


def test_the_kept_table_is_renewed_with_the_figures_in_the_next_period(
    app, client, coordinators, tenants, now
):
    log_in(client, "p.zielinski@umww.pl")
    assert ">no<" in _row(_page(client, BENCHMARK), "Kalisz")
    factories.programme(tenants["leszno"], year=2024)
    assert "Leszno" in _page(client, BENCHMARK)  # the same figures within the period
    assert ">no<" not in _row(_page(client, BENCHMARK), "Leszno")

    now["now"] = NOW + timedelta(seconds=app.config["BENCHMARK_MAX_AGE_SECONDS"])
    page = _page(client, BENCHMARK)

    assert ">no<" in _row(page, "Leszno")
    assert "Figures as of 7/1/24, 12:05" in page  # computed again, and saying so


def test_another_region_never_sees_the_kept_table(client, coordinators, tenants):
    factories.programme(tenants["gdansk"], year=2024)
    log_in(client, "p.zielinski@umww.pl")
    assert "Kalisz" in _page(client, BENCHMARK)
    post_form(client, "/logout")
    log_in(client, "koordynator@pomorskie.pl")

    assert client.get(BENCHMARK).status_code == 403
    assert client.get(TREND).status_code == 403
    own = _page(client, "/regions/pomorskie/benchmark?year=2024")
    assert ">no<" in _row(own, "Gdańsk") and "Kalisz" not in own


@pytest.mark.parametrize("path", [BENCHMARK, TREND])
def test_every_read_of_a_kept_table_is_on_record(client, coordinators, path):
    log_in(client, "p.zielinski@umww.pl")
    _page(client, path)  # the table kept (and the years to pick read, on record once a day)
    before = db.session.scalar(select(func.count()).select_from(CrossTenantRead))

    for _ in range(2):
        _page(client, path)

    assert db.session.scalar(select(func.count()).select_from(CrossTenantRead)) == before + 2


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _row(page: str, city: str) -> str:
    start = page.index(f'<th scope="row">{city}')
    return page[start : page.index("</tr>", start)]


def test_the_region_and_its_cities_are_read_once_per_revision(
    client, coordinators, regions, count_queries
):
    """Each process keeps a region's row and the ids of its cities (app/tenancy/resolution.py)
    until records no city owns get a new revision; the coordinator's read is on record on
    every request all the same."""
    log_in(client, "p.zielinski@umww.pl")
    _page(client, BENCHMARK)
    with count_queries(kept=True) as counter:
        _page(client, BENCHMARK)
    assert not [s for s in counter.statements if "FROM regions" in s or "FROM tenants" in s]
    assert [s for s in counter.statements if s.startswith("INSERT INTO cross_tenant_reads")]

    region = db.session.get(type(regions["wielkopolskie"]), regions["wielkopolskie"].id)
    names = region.names
    region.names = {**names, "en": "Greater Poland (renamed)"}
    db.session.commit()
    try:
        assert "Greater Poland (renamed)" in _page(client, BENCHMARK)
    finally:  # the regions outlive a test
        region.names = names
        db.session.commit()
