"""The attacker's suite: the demo, and a client and an API token for each kind of person an
attacker could be, in Leszno (Wielkopolska) and elsewhere."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.demo.loader import DEMO_PASSWORD
from app.extensions import limiter
from tests.conftest import PASSWORD, log_in


@dataclass(frozen=True)
class Person:
    email: str | None
    password: str = DEMO_PASSWORD
    roles: tuple[tuple[str, str], ...] = ()
    coordinator_of: str | None = None


# Every kind of person, seen from Leszno (a city of Wielkopolska) and its records.
PEOPLE = {
    "anonymous": Person(None),
    "NGO of the city": Person("ngo@echo.demo"),
    "NGO of another city": Person("ngo@gdansk.example.pl", PASSWORD, (("gdansk", "ngo"),)),
    "viewer": Person("przeglad@leszno.example.pl", PASSWORD, (("leszno", "viewer"),)),
    "staff": Person("pracownik@leszno.demo"),
    "admin": Person("admin@leszno.demo"),
    "admin of another city": Person("admin@kalisz.demo"),
    "coordinator": Person("koordynator@wielkopolska.demo"),
    "coordinator of another region": Person(
        "koordynator@pomorskie.example.pl", PASSWORD, coordinator_of="pomorskie"
    ),
}


@pytest.fixture
def people(app, demo, make_user):
    """A logged-in browser for each kind of person."""
    for person in PEOPLE.values():
        if person.password == PASSWORD:
            make_user(person.email, coordinator_of=person.coordinator_of, **dict(person.roles))
    limiter.reset()
    clients = {}
    for who, person in PEOPLE.items():
        clients[who] = app.test_client()
        if person.email:
            log_in(clients[who], person.email, person.password)
    return clients


@pytest.fixture
def tokens(app, people):
    """A bearer token of the API for each kind of person (None for the anonymous)."""
    client = app.test_client()
    issued = {}
    for who, person in PEOPLE.items():
        issued[who] = None
        if person.email:
            answer = client.post(
                "/api/v1/auth/token", json={"email": person.email, "password": person.password}
            )
            assert answer.status_code == 201, (who, answer.status_code)
            issued[who] = answer.json["token"]
        limiter.reset()
    return issued
