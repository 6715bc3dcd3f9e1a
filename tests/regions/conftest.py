"""What the region's publicity tests share: the people who read a matrix or a benchmark, each
through both doors (a logged-in browser and an API token), and how each answer reads."""

from __future__ import annotations

import pytest

from tests.conftest import log_in
from tests.regions.test_api import bearer


@pytest.fixture
def audiences(app, make_user):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    make_user("a.szymanska@leszno.pl", leszno="staff")
    people = {"anonymous": None, "coordinator": "p.zielinski@umww.pl"}
    people |= {"other coordinator": "koordynator@pomorskie.pl"}
    people |= {"city staff": "a.szymanska@leszno.pl"}
    doors = {}
    for who, email in people.items():
        page = app.test_client()
        headers = {}
        if email:
            log_in(page, email)
            headers = bearer(app.test_client(), email)
        doors[who] = (page, headers)
    return doors


def answer_of(response) -> str:
    if response.status_code == 200:
        return "visible"
    if response.status_code == 401 or (
        response.status_code == 302 and "/login" in response.location
    ):
        return "log in"
    return str(response.status_code)
