"""A multi-year programme reports each year (art. 5a ust. 3); "start from last year's
programme" moves its schedule by whole years, to the same days."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.programmes import services
from app.programmes.catalogue import Kind
from app.programmes.models import Milestone, Programme
from app.tenancy.context import tenant_scope
from tests.conftest import log_in, post_form


def test_a_multi_year_programme_has_a_report_deadline_each_year(app_context, tenants):
    with tenant_scope(tenants["leszno"].id):
        programme = services.create(
            Kind.MULTI_YEAR,
            2024,
            2026,
            "Wieloletni program współpracy Miasta Leszna na lata 2024–2026",
        )
        programme.report_published_on = date(2027, 5, 20)
        adoption, *reports = services.deadlines(programme)
    assert adoption.due == date(2023, 11, 30)
    assert [r.due for r in reports] == [date(2025, 5, 31), date(2026, 5, 31), date(2027, 5, 31)]
    assert [r.label for r in reports] == [
        "Publikacja sprawozdania z realizacji za 2024 r.",
        "Publikacja sprawozdania z realizacji za 2025 r.",
        "Publikacja sprawozdania z realizacji za 2026 r.",
    ]
    assert reports[0].state(date(2025, 5, 1)) == "soon"
    assert reports[0].state(date(2025, 6, 1)) == "overdue"
    assert reports[2].state(date(2027, 6, 1)) == "met"


def test_an_annual_programme_keeps_one_report_deadline(app_context, tenants):
    with tenant_scope(tenants["leszno"].id):
        programme = services.create(Kind.ANNUAL, 2025, 2025, "Program na 2025 rok")
        labels = [d.label for d in services.deadlines(programme)]
    assert labels == ["Uchwalenie programu", "Publikacja sprawozdania z realizacji"]


def test_the_programme_page_lists_each_years_report(client, make_user, tenants):
    make_user("b.grygier@leszno.pl", leszno="staff")
    with tenant_scope(tenants["leszno"].id):
        programme = services.create(Kind.MULTI_YEAR, 2025, 2027, "Program na lata 2025–2027")
        db.session.commit()
        programme_id = programme.id
    log_in(client, "b.grygier@leszno.pl")
    page = client.get(f"/leszno/programmes/{programme_id}").get_data(as_text=True)
    for year in (2025, 2026, 2027):
        assert f"Publikacja sprawozdania z realizacji za {year} r." in page
    assert "31 maja 2028" in page


def _previous_with_schedule(tenant) -> int:
    with tenant_scope(tenant.id):
        previous = services.create(Kind.ANNUAL, 2024, 2024, "Program współpracy na 2024 rok")
        previous.proposals_from, previous.proposals_to = date(2023, 7, 13), date(2023, 7, 27)
        previous.consultation_from, previous.consultation_to = date(2023, 10, 2), date(2023, 10, 16)
        previous.milestones = [
            Milestone(
                title="Spotkanie z organizacjami",
                starts_on=date(2023, 7, 13),
                ends_on=date(2023, 7, 13),
                status="done",
            ),
            # a leap day: the next year has none
            Milestone(
                title="Przekazanie propozycji do komórek",
                starts_on=date(2024, 2, 29),
                ends_on=date(2024, 3, 15),
                status="done",
            ),
        ]
        db.session.commit()
        return previous.id


def test_starting_from_last_year_moves_the_schedule_a_year_on(client, make_user, tenants):
    make_user("b.grygier@leszno.pl", leszno="staff")
    _previous_with_schedule(tenants["leszno"])
    log_in(client, "b.grygier@leszno.pl")
    response = post_form(client, "/leszno/programmes/copy")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Harmonogram przesunięto o 1 rok" in page
    with tenant_scope(tenants["leszno"].id):
        copied = db.session.scalars(select(Programme).where(Programme.year_from == 2025)).one()
        steps = [(m.title, m.starts_on, m.ends_on, m.status) for m in copied.milestones]
        windows = (copied.proposals_from, copied.proposals_to, copied.consultation_to)
    assert steps == [
        ("Spotkanie z organizacjami", date(2024, 7, 13), date(2024, 7, 13), "planned"),
        ("Przekazanie propozycji do komórek", date(2025, 2, 28), date(2025, 3, 15), "planned"),
    ]
    assert windows == (date(2024, 7, 13), date(2024, 7, 27), date(2024, 10, 16))
