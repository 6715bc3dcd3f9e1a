"""The cooperation benchmark as a public page by the coordinator's choice, as a project's
adoption matrix: the coordinator's until they open it, then everyone's, at the page and over
the API alike; the switch is the region's coordinator's, on their page and over the API, and
over the API it states the version it read."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.tenancy.cross_tenant import CrossTenantRead
from app.tenancy.models import Region
from tests import factories
from tests.conftest import post_form
from tests.regions.conftest import answer_of

PAGE = "/regions/wielkopolskie/benchmark"
API = "/api/v1/regions/wielkopolskie/benchmark"
TREND = f"{PAGE}/trend"


@pytest.fixture
def audiences(audiences, tenants):
    """The region's readers (tests/regions/conftest.py), and a year for the benchmark to show."""
    factories.programme(tenants["leszno"], year=2024)
    return audiences


def _make_public(public: bool) -> None:
    region = db.session.scalar(select(Region).where(Region.slug == "wielkopolskie"))
    region.benchmark_public = public
    db.session.commit()


@pytest.mark.parametrize("public", [False, True])
def test_every_audience_reads_the_benchmark_at_both_doors_alike(client, audiences, public):
    _make_public(public)
    expected = {
        "anonymous": "visible" if public else "log in",
        "city staff": "visible" if public else "403",
        "other coordinator": "visible" if public else "403",
        "coordinator": "visible",
    }
    for who, (page, headers) in audiences.items():
        answers = {answer_of(page.get(PAGE)), answer_of(page.get(TREND))}
        answers.add(answer_of(client.get(API, headers=headers)))
        assert answers == {expected[who]}, who


def test_another_regions_benchmark_is_its_own_and_an_unknown_region_has_none(client, audiences):
    _make_public(True)
    page, headers = audiences["other coordinator"]

    assert answer_of(page.get("/regions/pomorskie/benchmark")) == "visible"  # their own
    assert page.get("/regions/nie-ma/benchmark").status_code == 404
    assert client.get("/api/v1/regions/nie-ma/benchmark", headers=headers).status_code == 404
    # Wielkopolska's switch is not theirs, whatever it is set to
    assert post_form(page, f"{PAGE}/publicity").status_code == 403
    off = client.post(f"{API}/publicity", json={"public": False, "version": 1}, headers=headers)
    assert off.status_code == 403
    db.session.expire_all()
    assert db.session.scalar(select(Region.benchmark_public).where(Region.slug == "wielkopolskie"))


def test_the_coordinator_opens_the_benchmark_on_their_page(app, client, audiences):
    coordinator, _ = audiences["coordinator"]
    own_page = coordinator.get(PAGE).get_data(as_text=True)
    assert "Porównanie widzi tylko koordynator." in own_page
    assert f'action="{PAGE}/publicity?public=1"' in own_page
    assert answer_of(client.get(PAGE)) == "log in"

    opened = post_form(coordinator, f"{PAGE}/publicity?public=1")

    assert opened.status_code == 302 and opened.location.endswith(PAGE)
    public = app.test_client().get(PAGE)
    assert public.status_code == 200
    text = public.get_data(as_text=True)
    assert "Leszno" in text and "Jak obliczono wskaźniki" in text
    assert "/benchmark/export" not in text and "/benchmark/publicity" not in text
    overview = app.test_client().get("/regions/wielkopolskie/").get_data(as_text=True)
    assert f'href="{PAGE}"' in overview
    own_page = coordinator.get(PAGE).get_data(as_text=True)
    assert f'action="{PAGE}/publicity"' in own_page and "/benchmark/export" in own_page

    post_form(coordinator, f"{PAGE}/publicity")

    assert answer_of(app.test_client().get(PAGE)) == "log in"


def test_a_public_reading_leaves_no_record_of_a_regional_read(app, client, audiences):
    _make_public(True)
    before = db.session.scalar(select(func.count()).select_from(CrossTenantRead))

    assert app.test_client().get(PAGE).status_code == 200
    assert client.get(API).status_code == 200

    assert db.session.scalar(select(func.count()).select_from(CrossTenantRead)) == before


def test_the_coordinator_switches_it_over_the_api_with_the_version_read(client, audiences):
    _, coordinator = audiences["coordinator"]
    _, staff = audiences["city staff"]
    read = client.get(f"{API}/publicity", headers=coordinator)
    assert read.json == {"public": False, "version": 1}
    assert client.get(API).status_code == 401

    opened = client.post(
        f"{API}/publicity", json={"public": True, "version": 1}, headers=coordinator
    )
    stale = client.post(
        f"{API}/publicity", json={"public": False, "version": 1}, headers=coordinator
    )
    stale_tag = client.post(
        f"{API}/publicity", json={"public": False}, headers=coordinator | {"If-Match": '"v1"'}
    )
    none = client.post(f"{API}/publicity", json={"public": False}, headers=coordinator)

    assert opened.status_code == 200 and opened.json == {"public": True, "version": 2}
    assert (stale.status_code, stale_tag.status_code, none.status_code) == (409, 412, 428)
    body = client.get(API).json
    assert body["public"] is True and "leszno" in [c["slug"] for c in body["cities"]]
    for headers, status in (({}, 401), (staff, 403)):
        refused = client.post(
            f"{API}/publicity", json={"public": False, "version": 2}, headers=headers
        )
        assert refused.status_code == status
    closed = client.post(
        f"{API}/publicity",
        json={"public": False},
        headers=coordinator | {"If-Match": opened.headers["ETag"]},
    )
    assert closed.status_code == 200 and closed.json == {"public": False, "version": 3}
    assert client.get(API).status_code == 401
    assert client.get(API, headers=staff).status_code == 403
