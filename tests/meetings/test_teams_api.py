"""Teams over the API, as on their pages: the city's staff set one up and keep its people,
each change stating the version it read; the same policy, the same service, the same
record."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.meetings.models import Team
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD

TEAMS = "/api/v1/tenants/krakow/teams"

EDUCATION = {
    "name": "Zespół branżowy: Edukacja",
    "kind": "sector",
    "area": "Edukacja",
    "members": [
        {"name": "Paweł Nowicki", "role": "moderator"},
        {"name": "Łukasz Waszak", "organisation": "Sieć SPLOT", "role": "expert"},
    ],
}


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


@pytest.fixture
def people(client, make_user):
    make_user("t.nowak@um.krakow.pl", krakow="staff")
    make_user("h.hendrysiak@echo.org.pl", krakow="viewer")
    make_user("b.grygier@leszno.pl", leszno="staff")
    return {
        "staff": _bearer(client, "t.nowak@um.krakow.pl"),
        "viewer": _bearer(client, "h.hendrysiak@echo.org.pl"),
        "other_city": _bearer(client, "b.grygier@leszno.pl"),
    }


def _team(tenants, team_id: int) -> Team:
    db.session.expire_all()
    with tenant_scope(tenants["krakow"].id):
        return db.session.get(Team, team_id)


def test_staff_set_up_a_team_and_its_page_shows_it(client, people, tenants):
    made = client.post(TEAMS, json=EDUCATION, headers=people["staff"])
    assert made.status_code == 201
    assert made.headers["ETag"] == f'"v{made.json["version"]}"'
    assert [(m["name"], m["role"]) for m in made.json["members"]] == [
        ("Paweł Nowicki", "moderator"),
        ("Łukasz Waszak", "expert"),
    ]
    page = client.get(f"/krakow/teams/{made.json['id']}").get_data(as_text=True)
    assert "Zespół branżowy: Edukacja" in page and "Sieć SPLOT" in page
    assert client.get(f"{TEAMS}/{made.json['id']}").json == made.json


def test_a_change_keeps_the_rows_of_the_people_sent_back_with_their_ids(client, people, tenants):
    team_id = factories.team(tenants["krakow"])
    read = client.get(f"{TEAMS}/{team_id}", headers=people["staff"])
    moderator = read.json["members"][0]
    changed = client.patch(
        f"{TEAMS}/{team_id}",
        json={
            "members": [
                moderator | {"role": "leader"},
                {"name": "Anna Zielińska", "organisation": "Fundacja Edukacja dla Demokracji"},
            ]
        },
        headers=people["staff"] | {"If-Match": read.headers["ETag"]},
    )
    assert changed.status_code == 200
    assert changed.json["version"] == read.json["version"] + 1
    assert changed.headers["ETag"] == f'"v{changed.json["version"]}"'
    team = _team(tenants, team_id)
    assert [(m.id, m.name, m.role) for m in team.members] == [
        (moderator["id"], "Paweł Nowicki", "leader"),
        (team.members[1].id, "Anna Zielińska", "member"),
    ]
    assert team.area == "Edukacja"  # what was not sent stays


def test_a_change_from_a_stale_version_changes_nothing(client, people, tenants):
    team_id = factories.team(tenants["krakow"])
    url = f"{TEAMS}/{team_id}"
    read = client.get(url, headers=people["staff"])
    first = client.patch(
        url, json={"version": read.json["version"], "area": "Oświata"}, headers=people["staff"]
    )
    assert first.status_code == 200
    stale = client.patch(
        url, json={"version": read.json["version"], "area": "Sport"}, headers=people["staff"]
    )
    assert stale.status_code == 409
    stale_tag = client.patch(
        url, json={"area": "Sport"}, headers=people["staff"] | {"If-Match": read.headers["ETag"]}
    )
    assert stale_tag.status_code == 412
    blind = client.patch(url, json={"area": "Sport"}, headers=people["staff"])
    assert blind.status_code == 428
    assert _team(tenants, team_id).area == "Oświata"


def test_a_second_team_of_the_same_name_answers_422(client, people, tenants):
    assert client.post(TEAMS, json=EDUCATION, headers=people["staff"]).status_code == 201
    again = client.post(
        TEAMS, json=EDUCATION | {"name": " Zespół branżowy: Edukacja "}, headers=people["staff"]
    )
    assert again.status_code == 422
    assert "Zespół branżowy: Edukacja" in again.json["detail"]


def test_only_the_citys_staff_set_up_or_change_a_team(client, people, tenants):
    team_id = factories.team(tenants["krakow"])
    version = _team(tenants, team_id).lock_version
    for who in ("viewer", "other_city"):
        assert client.post(TEAMS, json=EDUCATION, headers=people[who]).status_code == 403
        refused = client.patch(
            f"{TEAMS}/{team_id}", json={"version": version, "area": "Sport"}, headers=people[who]
        )
        assert refused.status_code == 403
    assert client.post(TEAMS, json=EDUCATION).status_code == 401
    assert _team(tenants, team_id).area == "Edukacja"
    with tenant_scope(tenants["krakow"].id):
        assert db.session.scalar(db.select(db.func.count(Team.id))) == 1


def test_another_citys_team_is_not_found(client, people, tenants):
    team_id = factories.team(tenants["krakow"])
    version = _team(tenants, team_id).lock_version
    other = f"/api/v1/tenants/leszno/teams/{team_id}"
    assert client.get(other, headers=people["other_city"]).status_code == 404
    refused = client.patch(
        other, json={"version": version, "area": "Sport"}, headers=people["other_city"]
    )
    assert refused.status_code == 404
    assert _team(tenants, team_id).area == "Edukacja"
