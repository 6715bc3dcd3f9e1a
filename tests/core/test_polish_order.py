"""Names are listed in Polish alphabetical order (ą after a, ł after l, ó after o, ś after s,
ź and ż after z), not in the order of their code points, and by their letters alone (a quote,
a dot or a dash does not count), in the database (PostgreSQL here, SQLite in the embedded
default) and in Python alike, whatever the interface's language."""

from __future__ import annotations

from types import SimpleNamespace

import lxml.html
import pytest
from flask import render_template_string
from sqlalchemy import String, column, create_engine, select, table, values

from app.collation import in_polish_order, polish_key
from app.extensions import cache, db
from tests import factories
from tests.conftest import log_in

IN_POLISH_ORDER = [
    "Aleksandrów",
    "Kępno",
    "Kórnik",
    "Łomża",
    "Łódź",
    "Ostrów Wielkopolski",
    "Śrem",
    "Środa Wielkopolska",
    "Ząbki",
    "Zielona Góra",
    "Żagań",
    "Żary",
]
# as they would come from a form or a file: in no order
AS_GIVEN = [
    "Łódź",
    "Łomża",
    "Kępno",
    "Kórnik",
    "Śrem",
    "Środa Wielkopolska",
    "Żary",
    "Żagań",
    "Ostrów Wielkopolski",
    "Ząbki",
    "Zielona Góra",
    "Aleksandrów",
]
# Names as the seeds write them. A Polish reader files them by their words — Edukacyjna before
# Wielkopolska — and passes over the quote („) that opens one, a dot or a dash.
PUNCTUATED_IN_POLISH_ORDER = [
    "Fundacja „Bałtycka Akademia Wolontariatu”",
    "Fundacja Edukacji Prawnej „Lex Cracovia”",
    "Fundacja Edukacyjna „Comenius”",
    "Fundacja im. Marii Konopnickiej",
    "Fundacja „Kaliska Scena Niezależna”",
    "Fundacja Pomocy Dzieciom „Promyk”",
    "Fundacja „Pro-Eko”",
    "Fundacja „Wielkopolska Akademia Seniora”",
    "Fundacja „Źródło”",
]
PUNCTUATED_AS_GIVEN = PUNCTUATED_IN_POLISH_ORDER[::-1]
# Names that differ in punctuation alone: in one order everywhere, not in the order they came.
ALIKE_IN_ONE_ORDER = ["Fundacja „Razem”", "Fundacja Razem", "Fundacja Razem.", "Fundacja-Razem"]
EVERY_KIND = pytest.mark.parametrize(
    ("given", "expected"),
    [
        (AS_GIVEN, IN_POLISH_ORDER),
        (PUNCTUATED_AS_GIVEN, PUNCTUATED_IN_POLISH_ORDER),
        (ALIKE_IN_ONE_ORDER[::-1], ALIKE_IN_ONE_ORDER),
    ],
    ids=["letters", "punctuation", "punctuation alone"],
)


@EVERY_KIND
def test_the_python_key_sorts_in_polish_order(given, expected):
    assert sorted(given, key=polish_key) == expected
    assert sorted(["Lubin", "Łask", "Luboń"], key=polish_key) == ["Lubin", "Luboń", "Łask"]


@EVERY_KIND
def test_templates_sort_in_polish_order(app_context, given, expected):
    listed = render_template_string(
        '{{ items|polish_sort("name")|map(attribute="name")|join("|") }}',
        items=[SimpleNamespace(name=name) for name in given],
    )
    assert listed.split("|") == expected


@EVERY_KIND
def test_sqlite_orders_by_the_same_collation(given, expected):
    engine = create_engine("sqlite://")
    names = table("names", column("name"))
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE names (name TEXT)")
        connection.execute(names.insert(), [{"name": name} for name in given])
        ordered = connection.scalars(select(names.c.name).order_by(in_polish_order(names.c.name)))
        assert list(ordered) == expected
    engine.dispose()


@EVERY_KIND
def test_postgresql_orders_by_the_same_collation(app_context, given, expected):
    names = values(column("name", String), name="names").data([(name,) for name in given])
    ordered = db.session.scalars(select(names.c.name).order_by(in_polish_order(names.c.name)))
    assert list(ordered) == expected


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_landing_page_lists_a_regions_cities_in_polish_order(client, added_places, language):
    region = added_places.region("lubuskie", "08", {"pl": "lubuskie", "en": "Lubusz"})
    added_places.cities(region, AS_GIVEN)

    page = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)

    section = lxml.html.fromstring(page).xpath("//section[@aria-labelledby='region-lubuskie']")
    assert section[0].xpath(".//ul[@class='city-list']//a/text()") == IN_POLISH_ORDER


def test_the_directory_lists_organisations_in_polish_order(client, tenants):
    for name in AS_GIVEN:
        factories.registration(tenants["leszno"], factories.organisation(f"Fundacja {name}"))

    page = client.get("/leszno/organisations?page_size=50").get_data(as_text=True)

    listed = lxml.html.fromstring(page).xpath("//main//table//th[@scope='row']/a/text()")
    assert listed == [f"Fundacja {name}" for name in IN_POLISH_ORDER]
    backwards = client.get("/leszno/organisations?page_size=50&sort=-name")
    listed = lxml.html.fromstring(backwards.get_data(as_text=True))
    assert listed.xpath("//main//table//th[@scope='row']/a/text()")[0] == "Fundacja Żary"


def test_the_directory_passes_over_punctuation_in_names(client, tenants):
    for name in PUNCTUATED_AS_GIVEN:
        factories.registration(tenants["leszno"], factories.organisation(name))

    page = client.get("/leszno/organisations?page_size=50").get_data(as_text=True)

    listed = lxml.html.fromstring(page).xpath("//main//table//th[@scope='row']/a/text()")
    assert listed == PUNCTUATED_IN_POLISH_ORDER


def test_the_benchmark_lists_the_regions_cities_in_polish_order(
    client, make_user, tenants, regions, added_places
):
    factories.programme(tenants["kalisz"], year=2024)
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")
    added_places.cities(regions["wielkopolskie"], AS_GIVEN)
    cache.clear()

    page = client.get("/regions/wielkopolskie/benchmark?year=2024").get_data(as_text=True)

    rows = lxml.html.fromstring(page).xpath("//main//table/tbody[not(@class)]/tr/th")
    assert [row.text_content().strip() for row in rows] == [
        "Aleksandrów",
        "Kalisz",
        "Kępno",
        "Konin",
        "Kórnik",
        "Leszno",
        "Łomża",
        "Łódź",
        "Ostrów Wielkopolski",
        "Piła",
        "Leszno County",  # Powiat Leszczyński, by its Polish name
        "Śrem",
        "Środa Wielkopolska",
        "Ząbki",
        "Zielona Góra",
        "Żagań",
        "Żary",
    ]


def test_an_organisation_sees_its_cities_in_polish_order(client, make_user, added_places):
    from app.extensions import db
    from app.organisations.models import OrganisationMember

    region = added_places.region("lubuskie", "08", {"pl": "lubuskie", "en": "Lubusz"})
    lodz, lubin = added_places.cities(region, ["Łódź", "Lubin"])
    organisation = factories.registration(lodz).organisation
    factories.registration(lubin, organisation)
    db.session.add(OrganisationMember(organisation=organisation, user=make_user("n@ngo.pl")))
    db.session.commit()
    log_in(client, "n@ngo.pl")

    page = lxml.html.fromstring(client.get("/organisations/mine").get_data(as_text=True))

    cities = page.xpath("//table[caption[starts-with(@id, 'cities-')]]/tbody/tr/th//text()")
    assert [city.strip() for city in cities if city.strip()] == ["Lubin", "Łódź"]
