"""The voivodeship's self-government (its marshal office) and a powiat are tenants like the
cities: their own programmes, meetings and register, one account for the region's coordinator
in both the region's view and the marshal office, and the region's comparisons keep the
marshal office apart from the local governments they compare."""

from __future__ import annotations

import lxml.html
import pytest
from sqlalchemy import select

from app.demo.loader import DEMO_PASSWORD
from app.extensions import db
from app.organisations.models import OrganisationMember
from app.programmes.catalogue import Stage
from app.programmes.models import Programme
from app.regions import benchmark
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form
from tests.tenancy import test_isolation_sweep as sweep

MARSHAL = "wojewodztwo-wielkopolskie"
COORDINATOR = "koordynator@wielkopolska.demo"


def _text(page) -> str:
    return " ".join(lxml.html.fromstring(page.text).text_content().split())


def test_the_landing_page_shows_the_marshal_office_under_its_region_apart(client):
    html = lxml.html.fromstring(client.get("/").text)

    [wielkopolska] = html.xpath("//section[@aria-labelledby='region-wielkopolskie']")
    [apart] = wielkopolska.xpath(".//p[@class='self-government']")
    assert "Samorząd Województwa Wielkopolskiego" in apart.text_content()
    assert apart.xpath(".//a/@href") == [f"/{MARSHAL}/"]
    listed = wielkopolska.xpath(".//ul[@class='city-list']//a/@href")
    assert f"/{MARSHAL}/" not in listed
    assert "/leszno/" in listed and "/powiat-leszczynski/" in listed


def test_the_coordinator_moves_between_the_region_and_the_marshal_office(app, demo):
    client = app.test_client()
    log_in(client, COORDINATOR, DEMO_PASSWORD)

    overview = lxml.html.fromstring(client.get("/regions/wielkopolskie/").text)
    assert overview.xpath(
        f"//section[@aria-labelledby='self-government-heading']//a[@href='/{MARSHAL}/']"
    )
    switcher = overview.xpath("//select[@id='tenant-switcher']/option/@value")
    assert switcher == [MARSHAL, "regions/wielkopolskie"]

    assert post_form(client, "/switch", {"tenant": MARSHAL}).location.endswith(f"/{MARSHAL}/")
    home = client.get(f"/{MARSHAL}/")
    assert "Pracujesz tu jako: administrator" in _text(home)
    back = lxml.html.fromstring(home.text).xpath("//a[@href='/regions/wielkopolskie/']")
    assert back, "the marshal office's home links back to the region's view"
    answer = post_form(client, "/switch", {"tenant": "regions/wielkopolskie"})
    assert answer.location.endswith("/regions/wielkopolskie/")
    # a region the person does not coordinate is not offered
    assert post_form(client, "/switch", {"tenant": "regions/pomorskie"}).status_code == 404


def test_the_marshal_office_runs_its_own_programme_and_register(app, demo):
    client = app.test_client()
    log_in(client, COORDINATOR, DEMO_PASSWORD)

    programmes = client.get(f"/{MARSHAL}/programmes")
    assert "Programy współpracy Samorządu Województwa Wielkopolskiego" in _text(programmes)
    marshal = _tenant(MARSHAL)
    with tenant_scope(marshal.id):
        [collecting] = db.session.scalars(
            select(Programme).where(Programme.stage == Stage.PROPOSALS_OPEN.value)
        ).all()
    assert "Samorządu Województwa Wielkopolskiego" in collecting.title
    assert client.get(f"/{MARSHAL}/programmes/{collecting.id}").status_code == 200
    register = _text(client.get(f"/{MARSHAL}/organisations"))
    assert "Fundacja „Wielkopolska Akademia Seniora”" in register
    assert "Organizacje pozarządowe w Województwie Wielkopolskim" in register
    assert client.get(f"/{MARSHAL}/members").status_code == 200
    # the coordinator's membership is the marshal office's, not Leszno's
    assert client.get("/leszno/members").status_code == 403


def test_another_tenants_ids_are_not_found_in_the_marshal_office(app, demo):
    leszno_programme = _in("leszno", select(Programme.id).limit(1))
    marshal_programme = _in(MARSHAL, select(Programme.id).limit(1))
    client = app.test_client()
    log_in(client, COORDINATOR, DEMO_PASSWORD)

    assert client.get(f"/{MARSHAL}/programmes/{leszno_programme}").status_code == 404
    assert client.get(f"/leszno/programmes/{marshal_programme}").status_code == 404


@pytest.mark.parametrize("who", ["admin@leszno.demo", "ngo@echo.demo"])
def test_the_marshal_office_s_pages_refuse_people_without_its_role(app, demo, who):
    marshal_programme = _in(MARSHAL, select(Programme.id).limit(1))
    client = app.test_client()
    log_in(client, who, DEMO_PASSWORD)

    assert client.get(f"/{MARSHAL}/members").status_code == 403
    assert client.get(f"/{MARSHAL}/programmes/{marshal_programme}/edit").status_code == 403


def test_a_regional_ngo_registers_with_the_marshal_office_like_in_a_city(
    client, make_user, tenants, mailbox
):
    foundation = factories.organisation("Fundacja Szlaku Piastowskiego")
    rep = make_user("szlak@example.pl", locale="pl")
    db.session.add(OrganisationMember(organisation=foundation, user=rep))
    db.session.commit()
    make_user("wydzial@umww.example.pl", **{MARSHAL: "staff"})

    log_in(client, "szlak@example.pl")
    apply = _text(client.get(f"/{MARSHAL}/organisations/apply"))
    assert "Zarejestruj organizację w Województwie Wielkopolskim" in apply
    post_form(client, f"/{MARSHAL}/organisations/apply", {"organisation_id": foundation.id})
    post_form(client, "/logout")

    log_in(client, "wydzial@umww.example.pl")
    assert "Fundacja Szlaku Piastowskiego" in _text(
        client.get(f"/{MARSHAL}/organisations/requests")
    )
    registration = factories.registration_in(tenants[MARSHAL], foundation)
    post_form(client, f"/{MARSHAL}/organisations/{registration.id}/decision", {"approve": "1"})
    accepted = mailbox.last_to("szlak@example.pl")
    assert "Województwo Wielkopolskie" in accepted["Subject"]
    assert "Miasto Województwo" not in accepted.get_content()
    assert factories.registration_in(tenants[MARSHAL], foundation).status == "active"


def test_the_benchmark_lists_the_marshal_office_apart(app_context, tenants):
    marshal = tenants[MARSHAL]
    factories.programme(marshal, year=2024)
    factories.programme(tenants["leszno"], year=2024)
    figures = benchmark.benchmark(marshal.region, 2024)

    compared = [c.city.slug for c in figures.cities]
    assert MARSHAL not in compared and "powiat-leszczynski" in compared
    assert figures.self_government is not None
    assert figures.self_government.city.slug == MARSHAL
    assert figures.self_government.values["programme_on_time"] is False


def _tenant(slug: str):
    from app.tenancy.models import Tenant

    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def _in(slug: str, query):
    with tenant_scope(_tenant(slug).id):
        return db.session.scalar(query)


def test_the_demo_marshal_office_is_alive_on_the_day_it_is_loaded(demo):
    with tenant_scope(_tenant(MARSHAL).id):
        programme = db.session.scalar(select(Programme))
    assert programme.proposals_from <= clock.today() <= programme.proposals_to


def test_every_route_of_the_marshal_office_answers_404_for_a_city_s_ids(app, make_user, tenants):
    """The isolation sweep, from the marshal office's side: Leszno's objects, asked for under
    /wojewodztwo-wielkopolskie/, by the marshal office's own administrator and NGO."""
    make_user("admin@umww.example.pl", **{MARSHAL: "admin"})
    representative = make_user("ngo@umww.example.pl")
    organisation = factories.registration(tenants[MARSHAL]).organisation
    db.session.add(OrganisationMember(organisation_id=organisation.id, user=representative))
    db.session.commit()
    clients = {"admin": app.test_client(), "ngo": app.test_client()}
    log_in(clients["admin"], "admin@umww.example.pl")
    log_in(clients["ngo"], "ngo@umww.example.pl")
    tokens = {
        clients["admin"]: sweep._token(clients["admin"], "admin@umww.example.pl"),
        clients["ngo"]: sweep._token(clients["ngo"], "ngo@umww.example.pl"),
    }
    checked = 0
    for rule in sweep._routes_with_ids(app):
        values = sweep._values(rule, tenants["leszno"])
        with app.test_request_context():
            url = app.url_for(rule.endpoint, tenant_slug=MARSHAL, **values)
        client = sweep._client_with_the_role(app, rule, clients)
        response = sweep._request(client, rule, url, tokens[client])
        assert response.status_code == 404, f"{rule.rule} answered {response.status_code}"
        checked += 1
    assert checked >= 15


def test_the_marshal_office_s_admin_routes_answer_403_to_its_staff(app, client, make_user, tenants):
    make_user("referent@umww.example.pl", **{MARSHAL: "staff"})
    log_in(client, "referent@umww.example.pl")
    token = sweep._token(client, "referent@umww.example.pl")
    checked = 0
    for rule in sweep.tenant_rules(app):
        required = getattr(app.view_functions[rule.endpoint], "required_roles", ())
        if not required or "staff" in required:
            continue
        values = sweep._values(rule, tenants[MARSHAL])
        with app.test_request_context():
            url = app.url_for(rule.endpoint, tenant_slug=MARSHAL, **values)
        response = sweep._request(client, rule, url, token)
        assert response.status_code == 403, f"{rule.rule} answered {response.status_code}"
        checked += 1
    assert checked >= 6
