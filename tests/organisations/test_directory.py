"""The public directory: search that forgives missing diacritics, filters, pages."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import log_in

ORGANISATIONS = [
    ("Stowarzyszenie „ECHO”", "association", ["10", "16"]),
    ("Fundacja „Źródło”", "foundation", ["6", "32"]),
    ("Stowarzyszenie Przyjaciół Żółwi Błotnych", "association", ["18"]),
    ("Uczniowski Klub Sportowy „Łączy nas piłka”", "student_sports_club", ["17", "15"]),
    ("Stowarzyszenie Katolickie Seniorów im. św. Jana Pawła II", "association", ["10", "4"]),
]


@pytest.fixture
def leszno_register(tenants):
    for name, form, areas in ORGANISATIONS:
        org = factories.organisation(name, legal_form=form, areas=areas)
        factories.registration(tenants["leszno"], org)
    hidden = factories.organisation("Fundacja Oczekująca na Decyzję", legal_form="foundation")
    factories.registration(tenants["leszno"], hidden, status="requested")
    elsewhere = factories.organisation("Stowarzyszenie Echo Krakowa", legal_form="association")
    factories.registration(tenants["krakow"], elsewhere)


def names(client, query: str) -> list[str]:
    page = client.get(f"/leszno/organisations?{query}").get_data(as_text=True)
    return [name for name, _, _ in ORGANISATIONS if name in page] + [
        extra
        for extra in ("Fundacja Oczekująca na Decyzję", "Stowarzyszenie Echo Krakowa")
        if extra in page
    ]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("stowarzyszenie echo", "Stowarzyszenie „ECHO”"),
        ("zrodlo", "Fundacja „Źródło”"),
        ("ŹRÓDŁO", "Fundacja „Źródło”"),
        ("zolwi blot", "Stowarzyszenie Przyjaciół Żółwi Błotnych"),
        ("laczy", "Uczniowski Klub Sportowy „Łączy nas piłka”"),
        ("pawla", "Stowarzyszenie Katolickie Seniorów im. św. Jana Pawła II"),
    ],
)
def test_search_forgives_missing_diacritics_and_case(client, leszno_register, typed, found):
    assert names(client, f"q={typed}") == [found]


def test_search_with_odd_characters_does_not_fail(client, leszno_register):
    for typed in ("&|!():*", "'; DROP TABLE organisations; --", "%", "a" * 500):
        assert client.get(f"/leszno/organisations?q={typed}").status_code == 200


def test_public_directory_shows_only_active_organisations_of_the_city(client, leszno_register):
    listed = names(client, "")
    assert len(listed) == 5
    assert "Fundacja Oczekująca na Decyzję" not in listed
    assert "Stowarzyszenie Echo Krakowa" not in listed
    assert (
        client.get("/leszno/organisations?status=requested")
        .get_data(as_text=True)
        .count("Oczekująca")
        == 0
    )


def test_filters_by_area_and_legal_form(client, leszno_register):
    assert names(client, "area=10") == [ORGANISATIONS[0][0], ORGANISATIONS[4][0]]
    assert names(client, "legal_form=foundation") == ["Fundacja „Źródło”"]
    assert names(client, "area=17&legal_form=student_sports_club") == [ORGANISATIONS[3][0]]


def test_sorted_and_paginated(client, leszno_register):
    page = client.get("/leszno/organisations?page_size=2&sort=-name").get_data(as_text=True)
    assert page.index("Uczniowski") < page.index("Stowarzyszenie Przyjaciół")
    assert "/leszno/organisations?sort=-name&amp;page=2" in page or "page=2" in page
    last = client.get("/leszno/organisations?page_size=2&page=3").get_data(as_text=True)
    assert "Uczniowski Klub" in last


def test_staff_see_requests_and_filter_by_status(client, make_user, leszno_register):
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    assert names(client, "status=requested") == ["Fundacja Oczekująca na Decyzję"]


def _order(client, city: str, *wanted: str) -> list[str]:
    page = client.get(f"/{city}/organisations").get_data(as_text=True)
    return sorted((name for name in wanted if name in page), key=page.index)


def test_a_renamed_organisation_takes_its_new_place_in_every_citys_directory(
    client, tenants, leszno_register
):
    """The directory sorts by each registration's copy of the name (migration 0039): the
    database keeps it, in the other cities too, which a city's session may not write."""
    from app.extensions import db
    from app.organisations.models import Organisation
    from app.tenancy.context import tenant_scope

    echo = db.session.scalar(db.select(Organisation).filter_by(name="Stowarzyszenie „ECHO”"))
    factories.registration(tenants["kalisz"], echo)
    zrodlo = factories.organisation("Fundacja „Źródło” Kalisz", legal_form="foundation")
    factories.registration(tenants["kalisz"], zrodlo)
    assert _order(client, "kalisz", "ECHO", "Źródło") == ["Źródło", "ECHO"]

    with tenant_scope(tenants["leszno"].id):
        echo = db.session.get(Organisation, echo.id)
        echo.name = "Akademia „ECHO”"
        db.session.commit()

    assert _order(client, "kalisz", "ECHO", "Źródło") == ["ECHO", "Źródło"]
    assert _order(client, "leszno", "ECHO", "Źródło") == ["ECHO", "Źródło"]
