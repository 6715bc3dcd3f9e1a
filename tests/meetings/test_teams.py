"""Teams: people and roles, their meetings, a combined SWOT and open decisions."""

from __future__ import annotations

from datetime import date

from app import unit_of_work
from app.meetings import services
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
