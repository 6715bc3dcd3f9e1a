"""Teams: people and roles, their meetings, a combined SWOT and open decisions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app import unit_of_work
from app.extensions import db
from app.meetings import services
from app.meetings.models import SwotItem, Team
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form


def test_staff_set_up_a_sector_team_and_its_page_gathers_its_work(client, make_user, tenants):
    make_user("t.nowak@um.krakow.pl", krakow="staff")
    log_in(client, "t.nowak@um.krakow.pl")
    response = post_form(
        client,
        "/krakow/teams/new",
        {
            "name": "Zespół branżowy: Edukacja",
            "kind": "sector",
            "area": "Edukacja",
            "members-0-name": "Paweł Nowicki",
            "members-0-role": "moderator",
            "members-1-name": "Łukasz Waszak",
            "members-1-organisation": "Sieć SPLOT",
            "members-1-role": "expert",
        },
    )
    assert response.status_code == 302
    team_id = int(response.location.rsplit("/", 1)[-1])
    with tenant_scope(tenants["krakow"].id):
        for held_on, strength, threat in (
            (date(2011, 6, 9), "współpraca szkół z NGO", "niż"),
            (date(2011, 10, 12), "zaangażowani nauczyciele", "krótkie umowy"),
        ):
            meeting = services.create(
                {
                    "title": "Spotkanie zespołu",
                    "held_on": held_on,
                    "team_id": team_id,
                    "swot": [
                        {"quadrant": "strengths", "text": strength},
                        {"quadrant": "threats", "text": threat},
                    ],
                    "decisions": [
                        {
                            "text": f"Przygotować postulaty ({held_on.year})",
                            "due_on": date(2011, 11, 30),
                        }
                    ],
                }
            )
            services.publish(meeting)
            unit_of_work.commit()
    post_form(client, "/logout")
    page = client.get(f"/krakow/teams/{team_id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Paweł Nowicki" in page and "moderator" in page and "expert" in page
    assert "współpraca szkół z NGO" in page and "zaangażowani nauczyciele" in page  # combined
    assert page.count("Przygotować postulaty") == 2


def test_teams_are_listed_publicly_and_edited_by_staff_only(client, make_user, tenants):
    team_id = factories.team(tenants["krakow"])
    assert "Zespół branżowy" in client.get("/krakow/teams").get_data(as_text=True)
    make_user("h.hendrysiak@echo.org.pl", krakow="viewer")
    log_in(client, "h.hendrysiak@echo.org.pl")
    assert client.get(f"/krakow/teams/{team_id}/edit").status_code == 403


def test_a_programme_shows_its_meetings_and_their_combined_swot(client, tenants):
    programme = factories.programme(tenants["leszno"], stage="consultation", complete=True)
    with tenant_scope(tenants["leszno"].id):
        for title, strength in (
            ("Spotkanie z NGO", "regularne spotkania"),
            ("Warsztat SWOT", "przejrzyste konkursy"),
        ):
            meeting = services.create(
                {
                    "title": title,
                    "held_on": date(2023, 7, 13),
                    "programme_id": programme.id,
                    "swot": [{"quadrant": "strengths", "text": strength}],
                }
            )
            services.publish(meeting)
            unit_of_work.commit()
    page = client.get(f"/leszno/programmes/{programme.id}").get_data(as_text=True)
    assert "Spotkanie z NGO" in page and "Warsztat SWOT" in page
    swot = client.get(f"/leszno/programmes/{programme.id}/swot").get_data(as_text=True)
    assert "regularne spotkania" in swot and "przejrzyste konkursy" in swot


def test_the_cycles_swot_kept_for_the_office_is_neither_a_visitors_nor_out_of_date(
    app, make_user, tenants
):
    """The combined SWOT is kept for each kind of reader (page_cache.kept_for_the_city): the
    office's, with a meeting not yet published, is not an NGO person's, and a new item is
    on the next read."""
    programme = factories.programme(tenants["leszno"], stage="consultation", complete=True)
    with tenant_scope(tenants["leszno"].id):
        draft = services.create(
            {
                "title": "Warsztat SWOT (projekt protokołu)",
                "held_on": date(2023, 7, 13),
                "programme_id": programme.id,
                "swot": [{"quadrant": "weaknesses", "text": "mało informacji o konkursach"}],
            }
        )
        unit_of_work.commit()
    make_user("b.grygier@leszno.pl", leszno="staff")
    make_user("h.hendrysiak@echo.org.pl", leszno="ngo")
    office, ngo = app.test_client(), app.test_client()
    log_in(office, "b.grygier@leszno.pl")
    log_in(ngo, "h.hendrysiak@echo.org.pl")
    url = f"/leszno/programmes/{programme.id}/swot"

    for _ in range(2):  # the second read is the kept one
        assert "mało informacji o konkursach" in office.get(url).get_data(as_text=True)
    assert "mało informacji o konkursach" not in ngo.get(url).get_data(as_text=True)

    with tenant_scope(tenants["leszno"].id):
        db.session.add(
            SwotItem(meeting_id=draft.id, quadrant="opportunities", text="nowe fundusze")
        )
        unit_of_work.commit()
    assert "nowe fundusze" in office.get(url).get_data(as_text=True)


def test_combined_swot_exports_with_its_items(client, make_user, tenants):
    import io

    import tablib
    from pypdf import PdfReader

    team_id = factories.team(tenants["krakow"])
    with tenant_scope(tenants["krakow"].id):
        meeting = services.create(
            {
                "title": "Spotkanie zespołu: Ekologia",
                "held_on": date(2011, 6, 15),
                "team_id": team_id,
                "swot": [
                    {"quadrant": "threats", "text": "smog i presja inwestycyjna"},
                    {"quadrant": "strengths", "text": "aktywne ruchy miejskie"},
                ],
            }
        )
        services.publish(meeting)
        unit_of_work.commit()
    make_user("t.nowak@um.krakow.pl", krakow="staff")
    log_in(client, "t.nowak@um.krakow.pl")
    for file_format in ("xlsx", "pdf"):
        job_url = post_form(
            client, "/krakow/swot/export", {"team_id": team_id, "file_format": file_format}
        ).location
        data = client.get(job_url + "/download").get_data()
        if file_format == "xlsx":
            sheet = tablib.Dataset().load(data, format="xlsx")
            # the four quadrants as four columns, as the grid of the page
            assert sheet.headers == ["Mocne strony", "Słabe strony", "Szanse", "Zagrożenia"]
            assert sheet["Zagrożenia"] == ["smog i presja inwestycyjna"]
            assert sheet["Mocne strony"] == ["aktywne ruchy miejskie"]
        else:
            text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
            assert "Mocne strony" in text and "aktywne ruchy miejskie" in text


# -- two people editing the same team ------------------------------------------------


def _team(tenants, team_id: int) -> Team:
    db.session.expire_all()
    with tenant_scope(tenants["krakow"].id):
        return db.session.get(Team, team_id)


def _team_form(team: Team, **changes) -> dict:
    """The team's edit form as its page shows it, with `changes`."""
    form = {
        "version": team.lock_version,
        "name": team.name,
        "kind": team.kind,
        "area": team.area,
        "description": team.description,
    }
    for number, member in enumerate(team.members):
        form |= {
            f"members-{number}-id": member.id,
            f"members-{number}-name": member.name,
            f"members-{number}-organisation": member.organisation,
            f"members-{number}-role": member.role,
        }
    return form | changes


@pytest.fixture
def krakow_staff(make_user):
    make_user("t.nowak@um.krakow.pl", krakow="staff")
    make_user("a.kowalska@um.krakow.pl", krakow="staff")


def test_the_team_form_carries_the_version_it_shows(client, tenants, krakow_staff):
    team = _team(tenants, factories.team(tenants["krakow"]))
    log_in(client, "t.nowak@um.krakow.pl")
    page = client.get(f"/krakow/teams/{team.id}/edit").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{team.lock_version}"' in page


def test_a_team_saved_from_an_older_version_is_refused_and_the_input_kept(
    client, tenants, krakow_staff
):
    team = _team(tenants, factories.team(tenants["krakow"]))
    opened = _team_form(team)
    log_in(client, "t.nowak@um.krakow.pl")
    first = post_form(
        client,
        f"/krakow/teams/{team.id}/edit",
        opened | {"members-1-name": "Anna Zielińska", "members-1-role": "leader"},
    )
    assert first.status_code == 302
    post_form(client, "/logout")

    log_in(client, "a.kowalska@um.krakow.pl")
    second = post_form(
        client,
        f"/krakow/teams/{team.id}/edit",
        opened
        | {
            "members-1-name": "Jan Wójcik",
            "members-1-role": "member",
            "description": "Edukacja pozaszkolna.",
        },
        headers={"Accept-Language": "pl"},
    )
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Ktoś inny zapisał" in page
    assert 'value="Jan Wójcik"' in page and "Edukacja pozaszkolna." in page  # what she typed
    assert f'href="/krakow/teams/{team.id}"' in page  # the team as saved, to compare
    saved = _team(tenants, team.id)
    assert [m.name for m in saved.members] == ["Paweł Nowicki", "Anna Zielińska"]
    assert saved.description == ""


def test_a_change_of_the_people_alone_is_a_new_version(client, tenants, krakow_staff):
    team = _team(tenants, factories.team(tenants["krakow"]))
    opened, first_member = team.lock_version, team.members[0].id
    log_in(client, "t.nowak@um.krakow.pl")
    saved = post_form(
        client, f"/krakow/teams/{team.id}/edit", _team_form(team, **{"members-0-role": "leader"})
    )
    assert saved.status_code == 302
    team = _team(tenants, team.id)
    assert team.lock_version == opened + 1
    assert [(m.id, m.role) for m in team.members] == [(first_member, "leader")]


def test_a_second_team_of_the_same_name_is_refused_with_the_input_kept(
    client, tenants, krakow_staff
):
    team = _team(tenants, factories.team(tenants["krakow"]))
    log_in(client, "t.nowak@um.krakow.pl")
    again = post_form(
        client,
        "/krakow/teams/new",
        {
            "name": f"  {team.name} ",
            "kind": "sector",
            "members-0-name": "Ewa Mazur",
            "members-0-role": "member",
        },
        headers={"Accept-Language": "pl"},
    )
    page = again.get_data(as_text=True)
    assert again.status_code == 422
    assert "Jest już zespół o nazwie" in page and 'value="Ewa Mazur"' in page
    with tenant_scope(tenants["krakow"].id):
        assert db.session.scalar(select(func.count(Team.id))) == 1
