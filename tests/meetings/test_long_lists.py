"""The city's minutes and a team's meetings come in pages, with their totals and search,
however many meetings the city has recorded."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, literal, select

from app.extensions import db
from app.meetings.models import AgendaItem, Decision, Meeting, SwotItem
from app.search import folded
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in

PL = {"Accept-Language": "pl"}


def _record(tenants, count: int, team_id: int | None = None, status="published") -> list[int]:
    """Meetings one a week from 2 January 2023, each with an agenda item."""
    with tenant_scope(tenants["leszno"].id):
        meetings = [
            Meeting(
                title=f"Spotkanie zespołu nr {number}",
                held_on=date(2023, 1, 2) + timedelta(weeks=number),
                status=status,
                team_id=team_id,
                agenda=[AgendaItem(title="Omówienie", minutes="Źródła finansowania zadań.")],
            )
            for number in range(count)
        ]
        db.session.add_all(meetings)
        db.session.commit()
        return [m.id for m in meetings]


def _titles(page: str) -> list[str]:
    return re.findall(r"(Spotkanie zespołu nr \d+)</a>", page)


def test_the_minutes_come_in_pages_the_newest_first(client, tenants, monkeypatch):
    monkeypatch.setattr("app.meetings.services.PAGE_SIZE", 4)
    _record(tenants, 9)
    _record(tenants, 2, status="draft")  # not public: neither listed nor counted

    first = client.get("/leszno/meetings", headers=PL).get_data(as_text=True)
    assert _titles(first) == [f"Spotkanie zespołu nr {n}" for n in (8, 7, 6, 5)]
    assert "9 spotkań" in first and "Strona 1 z 3" in first
    last = client.get("/leszno/meetings?page=3", headers=PL).get_data(as_text=True)
    assert _titles(last) == ["Spotkanie zespołu nr 0"]
    assert client.get("/leszno/meetings?page=4").status_code == 404


def test_the_search_reads_the_agenda_whatever_the_diacritics_and_keeps_to_its_pages(
    client, tenants, monkeypatch
):
    monkeypatch.setattr("app.meetings.services.PAGE_SIZE", 2)
    _record(tenants, 3)
    factories.meeting(tenants["leszno"])  # „Omówienie zagadnień”, without the sources

    found = client.get("/leszno/meetings?q=zrodla+FINANSOWANIA", headers=PL)
    text = found.get_data(as_text=True)
    assert "3 spotkania" in text and len(_titles(text)) == 2
    assert "q=zrodla+FINANSOWANIA&amp;page=2" in text or "page=2&amp;q=zrodla" in text
    assert "0 spotkań" in client.get("/leszno/meetings?q=zrodla+budzet", headers=PL).get_data(
        as_text=True
    )


def test_words_are_folded_in_sqlite_as_in_postgresql(app_context):
    sqlite = create_engine("sqlite://")
    with sqlite.connect() as connection:
        assert connection.scalar(select(folded(literal("Źródło ŁÓDŹ")))) == "zrodlo lodz"
    assert db.session.scalar(select(folded(literal("Źródło ŁÓDŹ")))) == "zrodlo lodz"


@pytest.fixture
def team(tenants):
    return factories.team(tenants["leszno"])


def test_a_team_page_shows_its_meetings_in_pages_and_all_their_open_decisions(
    client, tenants, team, monkeypatch
):
    monkeypatch.setattr("app.meetings.services.PAGE_SIZE", 3)
    ids = _record(tenants, 5, team_id=team)
    with tenant_scope(tenants["leszno"].id):
        db.session.add_all(
            [
                Decision(meeting_id=ids[0], text="Przygotować projekt uchwały."),
                Decision(meeting_id=ids[4], text="Zwołać radę.", done_on=date(2023, 3, 1)),
                SwotItem(meeting_id=ids[1], quadrant="strengths", text="Aktywni wolontariusze"),
            ]
        )
        db.session.commit()

    first = client.get(f"/leszno/teams/{team}", headers=PL).get_data(as_text=True)
    assert _titles(first) == [f"Spotkanie zespołu nr {n}" for n in (4, 3, 2)]
    assert "5 spotkań" in first and "Strona 1 z 2" in first
    # the SWOT and the open decisions are of all the team's meetings, not of this page only
    assert "Aktywni wolontariusze" in first and "Przygotować projekt uchwały." in first
    assert "Zwołać radę." not in first
    with tenant_scope(tenants["leszno"].id):
        db.session.add_all(Decision(meeting_id=i, text=f"Ustalenie {i}.") for i in ids[1:4])
        db.session.commit()
    many = client.get(f"/leszno/teams/{team}", headers=PL).get_data(as_text=True)
    assert "najbliższym terminem: 3 z 4 otwartych" in many
    assert many.count("Ustalenie ") + many.count("Przygotować projekt") == 3
    second = client.get(f"/leszno/teams/{team}?page=2", headers=PL).get_data(as_text=True)
    assert _titles(second) == ["Spotkanie zespołu nr 1", "Spotkanie zespołu nr 0"]
    assert client.get(f"/leszno/teams/{team}?page=3").status_code == 404


def test_a_team_page_does_not_grow_with_its_meetings(
    client, make_user, tenants, team, count_queries
):
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")

    def queries() -> int:
        with count_queries() as counter:
            assert client.get(f"/leszno/teams/{team}").status_code == 200
        return counter.count

    def grow(count: int) -> None:
        for meeting_id in _record(tenants, count, team_id=team):
            with tenant_scope(tenants["leszno"].id):
                db.session.add(Decision(meeting_id=meeting_id, text="Ustalono."))
                db.session.commit()

    grow(2)
    small = queries()
    grow(20)
    assert queries() == small


def test_the_organisers_list_of_registrations_comes_in_pages(
    client, make_user, tenants, monkeypatch
):
    monkeypatch.setattr("app.meetings.registration.PAGE_SIZE", 3)
    meeting_id = factories.meeting(tenants["leszno"])
    for number in range(7):
        factories.event_registration(
            tenants["leszno"], email=f"osoba{number}@example.pl", meeting_id=meeting_id
        )
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    url = f"/leszno/meetings/{meeting_id}/registrations"

    first = client.get(url, headers=PL).get_data(as_text=True)
    assert first.count("@example.pl</td>") == 3
    assert "Potwierdzone: 7" in first and "Strona 1 z 3" in first
    last = client.get(f"{url}?page=3", headers=PL).get_data(as_text=True)
    assert last.count("@example.pl</td>") == 1 and "osoba6@example.pl" in last
    assert client.get(f"{url}?page=4").status_code == 404
