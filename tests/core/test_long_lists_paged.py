"""The last lists that grew with a city's history come in pages with their totals (#17): the
city's open decisions, an NGO's own proposals and the combined SWOT of a team or a cycle;
each page costs the same queries with few rows or many, and shows only its own city's."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from app.extensions import db
from app.meetings.models import Decision, Meeting, SwotItem
from app.organisations.models import OrganisationMember
from app.programmes.models import Proposal
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in

PL = {"Accept-Language": "pl"}


def _page(client, path: str) -> str:
    response = client.get(path, headers=PL)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _queries(client, count_queries, path: str) -> int:
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    return counter.count


def _decisions(tenant, count: int, responsible_email: str | None = None) -> None:
    meeting_id = factories.meeting(tenant)
    with tenant_scope(tenant.id):
        db.session.add_all(
            Decision(
                meeting_id=meeting_id,
                text=f"Przygotować informację o realizacji zadania nr {number}.",
                responsible_email=responsible_email,
            )
            for number in range(count)
        )
        db.session.commit()


def test_the_open_decisions_come_in_pages_with_their_total(
    client, make_user, tenants, monkeypatch, count_queries
):
    monkeypatch.setattr("app.meetings.services.PAGE_SIZE", 4)
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    _decisions(tenants["leszno"], 2, "b.grygier@leszno.pl")
    _decisions(tenants["leszno"], 3)  # a page and more (a shorter one is not counted)
    _decisions(tenants["kalisz"], 3)  # another city's: neither listed nor counted
    small = {
        p: _queries(client, count_queries, p)
        for p in ("/leszno/decisions", "/leszno/decisions?mine=1")
    }
    _decisions(tenants["leszno"], 4)

    first = _page(client, "/leszno/decisions")
    assert "9 otwartych ustaleń" in first and "Strona 1 z 3" in first
    assert len(re.findall(r"<td>Przygotować informację o realizacji zadania nr \d+", first)) == 4
    last = _page(client, "/leszno/decisions?page=3")
    assert len(re.findall(r"<td>Przygotować informację o realizacji zadania nr \d+", last)) == 1
    assert "2 otwarte ustalenia" in _page(client, "/leszno/decisions?mine=1")
    assert client.get("/leszno/decisions?page=4").status_code == 404
    large = {p: _queries(client, count_queries, p) for p in small}
    assert large == small


def _ngo_with_proposals(make_user, tenants, count: int):
    user = make_user("h.hendrysiak@echo.org.pl", name="Hanna Hendrysiak", locale="pl")
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    factories.registration(tenants["leszno"], echo)
    db.session.add(OrganisationMember(organisation=echo, user=user))
    db.session.commit()
    programme = factories.programme(tenants["leszno"], year=2031, stage="proposals_open")
    for _ in range(count):
        factories.proposal(tenants["leszno"], programme, echo)
    return user, echo, programme


def test_an_ngos_own_proposals_come_in_pages_with_their_total(
    client, make_user, tenants, monkeypatch, count_queries
):
    monkeypatch.setattr("app.programmes.proposals.PAGE_SIZE", 3)
    user, echo, programme = _ngo_with_proposals(make_user, tenants, 4)  # a page and more
    factories.registration(tenants["kalisz"], echo)
    factories.proposal(tenants["kalisz"], org=echo)  # in Kalisz: not on Leszno's page
    log_in(client, "h.hendrysiak@echo.org.pl")
    small = _queries(client, count_queries, "/leszno/proposals/mine")
    for _ in range(3):
        factories.proposal(tenants["leszno"], programme, echo)
    with tenant_scope(tenants["leszno"].id):  # sent by Hanna: the page does not load her roles
        db.session.execute(update(Proposal).values(submitted_by_id=user.id))
        db.session.commit()

    first = _page(client, "/leszno/proposals/mine")
    assert "7 propozycji" in first and "Strona 1 z 3" in first
    assert first.count("Dodać cel: współpraca z zagranicą.") == 3
    assert "Roczny Program Współpracy Miasta z Organizacjami Pozarządowymi na 2031 rok" in first
    assert _page(client, "/leszno/proposals/mine?page=3").count("współpraca z zagranicą") == 1
    assert _queries(client, count_queries, "/leszno/proposals/mine") == small


@pytest.fixture
def team_with_swot(tenants):
    """A sector team of two meetings with 20 strengths and 3 threats between them."""
    team_id = factories.team(tenants["leszno"])
    with tenant_scope(tenants["leszno"].id):
        meetings = [
            Meeting(
                title=f"Zespół ds. seniorów, spotkanie {n}",
                held_on=f"2024-0{n}-10",
                status="published",
                team_id=team_id,
            )
            for n in (1, 2)
        ]
        db.session.add_all(meetings)
        db.session.flush()
        db.session.add_all(
            SwotItem(
                meeting_id=meetings[n % 2].id,
                quadrant="strengths",
                position=n,
                text=f"Mocna strona nr {n:02d}",
            )
            for n in range(20)
        )
        db.session.add_all(
            SwotItem(
                meeting_id=meetings[0].id,
                quadrant="threats",
                position=20 + n,
                text=f"Zagrożenie nr {n}",
            )
            for n in range(3)
        )
        db.session.commit()
    return team_id


def test_a_teams_combined_swot_comes_in_pages_of_each_quadrant_with_its_totals(
    client, team_with_swot, monkeypatch, count_queries
):
    monkeypatch.setattr("app.meetings.services.SWOT_PAGE_SIZE", 8)
    first = _page(client, f"/leszno/teams/{team_with_swot}")
    assert len(re.findall(r"Mocna strona nr \d+", first)) == 8
    assert len(re.findall(r"Zagrożenie nr \d", first)) == 3
    assert "razem 20 pozycji" in first and "razem 3 pozycje" in first
    assert "swot_page=2" in first and "Dalsze pozycje analizy SWOT" in first
    third = _page(client, f"/leszno/teams/{team_with_swot}?swot_page=3")
    assert len(re.findall(r"Mocna strona nr \d+", third)) == 4
    assert "Zagrożenie nr" not in third
    seen = set()
    for page in (1, 2, 3):
        text = _page(client, f"/leszno/teams/{team_with_swot}?swot_page={page}")
        seen |= set(re.findall(r"Mocna strona nr \d+", text))
    assert len(seen) == 20  # every item once, none twice


def test_a_combined_swot_costs_the_same_queries_with_few_items_or_many(
    client, tenants, team_with_swot, monkeypatch, count_queries
):
    programme = factories.programme(tenants["leszno"], year=2032, stage="consultation")
    with tenant_scope(tenants["leszno"].id):
        for meeting in db.session.query(Meeting).filter_by(team_id=team_with_swot):
            meeting.programme_id = programme.id
        db.session.commit()
    paths = [f"/leszno/teams/{team_with_swot}", f"/leszno/programmes/{programme.id}/swot"]
    small = {p: _queries(client, count_queries, p) for p in paths}
    assert "razem 20 pozycji" in _page(client, paths[1])
    assert "Z 2 spotkań." in _page(client, paths[1])
    with tenant_scope(tenants["leszno"].id):
        meeting_id = db.session.query(Meeting.id).filter_by(team_id=team_with_swot).first()[0]
        db.session.add_all(
            SwotItem(meeting_id=meeting_id, quadrant="weaknesses", position=100 + n, text="Słabość")
            for n in range(40)
        )
        db.session.commit()
    assert {p: _queries(client, count_queries, p) for p in paths} == small
