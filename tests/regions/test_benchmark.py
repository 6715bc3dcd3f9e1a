"""The cooperation benchmark, checked by hand on four cities of Wielkopolska in 2024."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.extensions import cache, db
from app.meetings import services as meetings
from app.programmes.models import Comment, Programme
from app.regions import benchmark
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form


@pytest.fixture
def mid_2024(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 7, 1, tzinfo=UTC))


def programme(tenant, year: int, **fields) -> Programme:
    record = factories.programme(tenant, year=year)
    if not fields:
        return record
    with tenant_scope(tenant.id):
        db.session.execute(db.update(Programme).where(Programme.id == record.id).values(**fields))
        db.session.commit()
    return record


def held(tenant, on: date, published: bool) -> None:
    with tenant_scope(tenant.id):
        record = meetings.create({"title": "Spotkanie z organizacjami", "held_on": on})
        if published:
            meetings.publish(record)


@pytest.fixture
def cities(app_context, tenants, mid_2024):
    leszno, kalisz, pila = tenants["leszno"], tenants["kalisz"], tenants["pila"]
    current = programme(leszno, 2024, resolution_date=date(2023, 11, 28), budget=1_250_000)
    programme(leszno, 2023, report_published_on=date(2024, 5, 20))
    registered = date(2023, 3, 1)
    for _ in range(2):
        org = factories.registration(leszno, since=registered).organisation
        answered = factories.proposal(leszno, current, org=org)
    with tenant_scope(leszno.id):
        db.session.execute(
            db.update(type(answered))
            .where(type(answered).id == answered.id)
            .values(answer="accepted")
        )
        db.session.add(Comment(programme_id=current.id, element="goals", body="…", answer="Ok"))
        db.session.commit()
    for _ in range(3):  # proposals' organisations above are active too: 2 + 3
        factories.registration(leszno, since=registered)
    factories.registration(leszno, status="requested")
    factories.registration(leszno)  # registered today (2026): not in 2024's count
    held(leszno, date(2024, 3, 14), published=True)
    held(leszno, date(2024, 6, 20), published=False)
    held(leszno, date(2024, 9, 10), published=True)  # not held yet on 1 July
    programme(kalisz, 2024, resolution_date=date(2023, 12, 12))
    programme(pila, 2024)
    programme(pila, 2023)
    return tenants


def figures(tenants) -> dict[str, dict]:
    region = tenants["leszno"].region
    return {c.city.slug: c.values for c in benchmark.benchmark(region, 2024).cities}


def test_figures_of_a_city_that_does_everything(cities):
    leszno = figures(cities)["leszno"]

    assert leszno["programme_on_time"] is True
    assert leszno["report_on_time"] is True
    assert leszno["ngos_per_10k"] == pytest.approx(5 * 10_000 / 61_398)
    assert (leszno["proposals"], leszno["proposals_answered"]) == (2, 0.5)
    assert (leszno["comments"], leszno["comments_answered"]) == (1, 1.0)
    assert (leszno["meetings"], leszno["minutes_published"]) == (2, 0.5)
    assert float(leszno["budget_per_resident"]) == pytest.approx(1_250_000 / 61_398)


def test_late_missing_and_absent_are_told_apart(cities):
    result = figures(cities)

    kalisz, pila, konin = result["kalisz"], result["pila"], result["konin"]
    assert kalisz["programme_on_time"] is False  # adopted on 12 December
    assert kalisz.get("report_on_time") is None  # no programme for 2023 in Razem: no data
    assert kalisz["proposals"] == 0 and kalisz["proposals_answered"] is None
    assert pila["programme_on_time"] is False  # not adopted at all
    assert pila["report_on_time"] is False  # 31 May has passed without a report
    assert konin == {}  # nothing recorded: no data everywhere, never zero


def test_a_report_not_yet_due_is_no_data(cities, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 5, 2, tzinfo=UTC))

    assert figures(cities)["pila"].get("report_on_time") is None


def test_the_page_explains_each_figure_and_shows_no_data(client, make_user, cities):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")

    page = client.get("/regions/wielkopolskie/benchmark?year=2024").get_data(as_text=True)

    konin = page[page.index('<th scope="row">Konin</th>') :]
    konin = konin[: konin.index("</tr>")]
    assert konin.count("no data") == len(benchmark.MEASURES)
    assert "by 30 November of the year before it" in page
    assert "PLN20.36" in page  # Leszno's budget per resident


def test_the_figures_are_kept_for_a_while_and_say_how_old_they_are(client, make_user, cities, app):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")
    page = client.get("/regions/wielkopolskie/benchmark?year=2024").get_data(as_text=True)
    assert "Figures as of 7/1/24, 2:00\u202fAM; they are computed again every 5 minutes." in page
    programme(cities["kalisz"], 2023, report_published_on=date(2024, 5, 2))

    kept = figures(cities)
    cache.clear()  # as when BENCHMARK_MAX_AGE_SECONDS have passed
    computed = figures(cities)

    assert kept["kalisz"].get("report_on_time") is None
    assert computed["kalisz"]["report_on_time"] is True


def test_without_a_year_the_latest_programme_year_is_shown(cities):
    # on 1 July 2024, the year of the latest programmes in force
    assert benchmark.benchmark(cities["leszno"].region).year == 2024


def test_the_benchmark_is_for_the_regions_coordinator(client, make_user):
    make_user("admin@leszno.pl", leszno="admin")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    for email in ("admin@leszno.pl", "koordynator@pomorskie.pl"):
        log_in(client, email)
        assert client.get("/regions/wielkopolskie/benchmark").status_code == 403
        post_form(client, "/logout")


def test_the_benchmark_costs_the_same_queries_for_more_data(
    client, make_user, tenants, count_queries
):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    year = clock.today().year
    with count_queries() as empty:
        assert client.get("/regions/wielkopolskie/benchmark").status_code == 200
    for slug in ("leszno", "kalisz", "konin"):
        record = programme(tenants[slug], year, budget=100_000)
        factories.proposal(tenants[slug], record)
        held(tenants[slug], date(year, 1, 15), published=True)
    cache.clear()  # computed again, not served as computed for the empty region
    with count_queries() as full:
        assert client.get("/regions/wielkopolskie/benchmark").status_code == 200

    assert full.count == empty.count
