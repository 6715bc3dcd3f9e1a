"""The report on each year of a multi-year programme (art. 5a ust. 3): the office files it
once the year is over, and that year's deadline is met; the other years keep theirs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import cache, db
from app.programmes import services, year_reports
from app.programmes.catalogue import Kind
from app.programmes.models import Programme, YearReport
from app.regions.benchmark import benchmark
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

# 10 June 2026: the reports on 2024 and 2025 are due (31 May 2025 and 2026)
TODAY = datetime(2026, 6, 10, 9, tzinfo=UTC)
TITLE = (
    "Wieloletni program współpracy Miasta Leszna z organizacjami pozarządowymi na lata 2024–2026"
)


@pytest.fixture(autouse=True)
def june_2026(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: TODAY)


@pytest.fixture
def multi_year(app_context, tenants) -> int:
    with tenant_scope(tenants["leszno"].id):
        programme = services.create(Kind.MULTI_YEAR, 2024, 2026, TITLE)
        db.session.commit()
        return programme.id


@pytest.fixture
def office(client, make_user):
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    return client


def _states(tenant, programme_id: int) -> list[str]:
    with tenant_scope(tenant.id):
        programme = db.session.get(Programme, programme_id)
        db.session.refresh(programme)
        _, *reports = services.deadlines(programme)
        return [r.state(clock.today()) for r in reports]


def _file(tenant, programme_id: int, year: int, published_on: date) -> int:
    with tenant_scope(tenant.id):
        programme = db.session.get(Programme, programme_id)
        report = year_reports.file(programme, year, year_reports.Filing(published_on))
        db.session.commit()
        return report.id


def test_a_years_report_meets_that_years_deadline_only(tenants, multi_year):
    assert _states(tenants["leszno"], multi_year) == ["overdue", "overdue", "open"]
    _file(tenants["leszno"], multi_year, 2024, date(2025, 5, 27))
    assert _states(tenants["leszno"], multi_year) == ["met", "overdue", "open"]
    _file(tenants["leszno"], multi_year, 2025, date(2026, 6, 2))
    assert _states(tenants["leszno"], multi_year) == ["met", "late", "open"]


def test_a_year_is_filed_once_after_it_ends(tenants, multi_year):
    _file(tenants["leszno"], multi_year, 2024, date(2025, 5, 27))
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, multi_year)
        assert year_reports.years_to_file(programme) == [2025]
        for year, published in ((2024, date(2025, 6, 1)), (2026, date(2026, 6, 1))):
            with pytest.raises(services.ProgrammeError):
                year_reports.file(programme, year, year_reports.Filing(published))
        with pytest.raises(services.ProgrammeError, match="2025"):
            year_reports.file(programme, 2025, year_reports.Filing(date(2025, 12, 30)))


def test_an_annual_programme_keeps_its_one_report(app_context, tenants):
    annual = factories.programme(tenants["leszno"], year=2025)
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, annual.id)
        assert year_reports.years_to_file(programme) == []
        with pytest.raises(services.ProgrammeError):
            year_reports.file(programme, 2025, year_reports.Filing(date(2026, 5, 20)))
        programme.report_published_on = date(2026, 5, 20)
        assert services.deadlines(programme)[1].state(clock.today()) == "met"


def test_the_office_files_corrects_and_withdraws_a_years_report(office, tenants, multi_year):
    form = office.get(f"/leszno/programmes/{multi_year}/year-reports/new").get_data(True)
    assert re.findall(r'<option value="(\d+)"', form) == ["2024", "2025"]
    answer = post_form(
        office,
        f"/leszno/programmes/{multi_year}/year-reports/new",
        {
            "year": "2024",
            "submitted_on": "2025-04-24",
            "published_on": "2025-05-27",
            "note": "Przyjęte przez Radę Miejską Leszna.",
            "document": (BytesIO(b"%PDF-1.4 sprawozdanie"), "sprawozdanie-2024.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    page = office.get(f"/leszno/programmes/{multi_year}").get_data(True)
    assert "sprawozdanie-2024.pdf" in page and "27.05.2025" in page
    with tenant_scope(tenants["leszno"].id):
        report = db.session.scalars(select(YearReport)).one()
    assert report.recorded_by.email == "b.grygier@leszno.pl"
    assert _states(tenants["leszno"], multi_year) == ["met", "overdue", "open"]
    edit_url = f"/leszno/programmes/year-reports/{report.id}"
    version = re.search(
        r'name="version" type="hidden" value="(\d+)"', office.get(edit_url).get_data(True)
    )
    answer = post_form(
        office,
        edit_url,
        {"version": version.group(1), "published_on": "2025-05-28", "note": ""},
    )
    assert answer.status_code == 302
    stale = post_form(office, edit_url, {"version": version.group(1), "published_on": "2025-05-29"})
    assert stale.status_code == 409
    assert post_form(office, f"{edit_url}/withdraw").status_code == 302
    assert _states(tenants["leszno"], multi_year) == ["overdue", "overdue", "open"]
    assert office.get(edit_url).status_code == 404
    db.session.expire_all()  # read again what the requests wrote
    with tenant_scope(tenants["leszno"].id):
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "YearReport")
        ).all()
        assert db.session.scalars(select(YearReport)).one().deleted_at is not None
    assert sorted(actions) == ["create", "update", "update"]
    # withdrawn, the year is filed again
    assert "2024" in office.get(f"/leszno/programmes/{multi_year}/year-reports/new").get_data(True)


def test_another_citys_report_is_404_and_an_ngo_is_refused(client, make_user, tenants, multi_year):
    report_id = _file(tenants["leszno"], multi_year, 2024, date(2025, 5, 27))
    make_user("admin@kalisz.pl", kalisz="admin")
    log_in(client, "admin@kalisz.pl")
    assert client.get(f"/kalisz/programmes/year-reports/{report_id}").status_code == 404
    assert client.get(f"/kalisz/programmes/year-reports/{report_id}/document").status_code == 404
    assert client.get(f"/kalisz/programmes/{multi_year}/year-reports/new").status_code == 404
    post_form(client, "/logout")
    make_user("ngo@leszno.pl", leszno="viewer")
    log_in(client, "ngo@leszno.pl")
    assert client.get(f"/leszno/programmes/year-reports/{report_id}").status_code == 403
    assert (
        post_form(client, f"/leszno/programmes/year-reports/{report_id}/withdraw").status_code
        == 403
    )


def test_the_office_home_lists_only_the_years_not_reported(office, tenants, multi_year):
    _file(tenants["leszno"], multi_year, 2024, date(2025, 5, 27))
    home = office.get("/leszno/", headers={"Accept-Language": "pl"}).get_data(True)
    assert "Publikacja sprawozdania z realizacji za 2025 r." in home
    assert "za 2024 r." not in home


def test_the_benchmark_reads_the_report_on_the_year_before(
    app_context, tenants, regions, multi_year
):
    """2025's figures ask whether the report on 2024 was published by 31 May 2025: the
    programme's own report (on its last year, 2026) does not answer that."""
    with tenant_scope(tenants["leszno"].id):
        db.session.get(Programme, multi_year).report_published_on = date(2026, 5, 20)
        db.session.commit()

    def on_time() -> bool | None:
        figures = benchmark(regions["wielkopolskie"], 2025)
        leszno = next(c for c in figures.cities if c.city.slug == "leszno")
        return leszno.values.get("report_on_time")

    assert on_time() is False
    _file(tenants["leszno"], multi_year, 2024, date(2025, 5, 27))
    cache.clear()  # as when BENCHMARK_MAX_AGE_SECONDS have passed
    assert on_time() is True


def test_the_office_home_reads_every_years_report_in_one_query(
    office, tenants, multi_year, count_queries
):
    def queries() -> int:
        with count_queries() as counter:
            assert office.get("/leszno/").status_code == 200
        return counter.count

    _file(tenants["leszno"], multi_year, 2024, date(2025, 5, 27))
    few = queries()
    with tenant_scope(tenants["leszno"].id):
        for first in (2018, 2021):
            programme = services.create(Kind.MULTI_YEAR, first, first + 2, f"Program {first}")
            db.session.commit()
            for year in (first, first + 1):
                year_reports.file(programme, year, year_reports.Filing(date(year + 1, 5, 20)))
            db.session.commit()
    assert queries() == few
