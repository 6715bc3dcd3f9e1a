"""Public pages are kept whole for the next visitor (app/core/page_cache.py), and a kept page
is never one the data has changed under, nor one that holds a person's own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from redis import Redis
from sqlalchemy import select, text

from app.extensions import db
from app.meetings.models import Meeting
from app.organisations.models import Organisation
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.tenancy.resolution import tenant_of_slug
from tests.security.routes import demo_url, get_rules
from tests.sweeps import demo_values

JSON = "application/json"


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    """A kept page is kept for the minute: none of these tests may cross one by chance."""
    moment = clock.now()
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


def visitor(app, **headers):
    """What a browser without any cookie (or nginx, passing a visitor on) is answered."""
    return app.test_client().get(headers.pop("path"), headers=headers)


def first_meeting(tenant) -> Meeting:
    with tenant_scope(tenant.id):
        return db.session.scalars(select(Meeting).order_by(Meeting.id)).first()


def rename_behind_the_apps_back(owner, table: str, record_id: int, column: str, value: str):
    """A change the application did not make: no commit of its own gives a new revision, so
    a kept page still shows what was there before — which tells a kept page from a new one."""
    with owner.begin() as connection:
        connection.execute(
            text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
            {"value": value, "id": record_id},
        )


def test_a_public_page_is_rendered_once_for_every_visitor(app, demo, owner, count_queries):
    meeting = first_meeting(demo["leszno"])
    path = f"/leszno/meetings/{meeting.id}"
    first = visitor(app, path=path)
    rename_behind_the_apps_back(owner, "meetings", meeting.id, "title", "Zmienione bokiem")
    with count_queries(kept=True) as counter:
        second = visitor(app, path=path)
    assert second.status_code == 200
    assert second.get_data() == first.get_data()
    assert "Zmienione bokiem" not in second.get_data(as_text=True)
    assert counter.count <= 1, counter.statements  # the city, read from its address
    assert "Set-Cookie" not in second.headers
    assert "public" in second.headers["Cache-Control"]


@pytest.fixture
def cache_commands(monkeypatch):
    """cache_commands(): the list of the commands sent to Redis from then on."""

    def recording() -> list[str]:
        commands: list[str] = []
        send = Redis.execute_command
        monkeypatch.setattr(
            Redis,
            "execute_command",
            lambda redis, *a, **k: commands.append(a[0]) or send(redis, *a, **k),
        )
        return commands

    return recording


def test_a_kept_page_costs_two_round_trips_to_the_cache(app, demo, cache_commands):
    """The revisions a page is kept by (records no city owns, the city's) come in one round
    trip, then the page itself: every request of a kept page pays the cache twice, not once
    for each revision."""
    path = f"/leszno/meetings/{first_meeting(demo['leszno']).id}"
    visitor(app, path=path)  # kept now, and the city known to this process
    commands = cache_commands()
    assert visitor(app, path=path).status_code == 200
    assert commands == ["MGET", "GET"]


def test_a_change_in_the_city_is_shown_at_once(app, demo):
    tenant = demo["leszno"]
    meeting = first_meeting(tenant)
    path = f"/leszno/meetings/{meeting.id}"
    visitor(app, path=path)
    with tenant_scope(tenant.id):
        db.session.get(Meeting, meeting.id).title = "Posiedzenie Rady Działalności Pożytku"
        db.session.commit()
    assert "Posiedzenie Rady Działalności Pożytku" in visitor(app, path=path).get_data(as_text=True)


def test_a_change_of_a_record_no_city_owns_is_shown_in_every_city(app, demo, owner):
    directory = "/leszno/organisations"
    before = visitor(app, path=directory).get_data(as_text=True)
    organisation = db.session.scalars(
        select(Organisation).where(Organisation.name.in_(_names_in(before)))
    ).first()
    assert organisation is not None, "the directory lists none of the demo's organisations"
    organisation.name = "Stowarzyszenie Przyjaciół Leszna"
    db.session.commit()
    assert "Stowarzyszenie Przyjaciół Leszna" in visitor(app, path=directory).get_data(as_text=True)


def test_another_citys_change_leaves_the_page_kept(app, demo, owner):
    meeting = first_meeting(demo["leszno"])
    path = f"/leszno/meetings/{meeting.id}"
    visitor(app, path=path)
    rename_behind_the_apps_back(owner, "meetings", meeting.id, "title", "Zmienione bokiem")
    kalisz = first_meeting(demo["kalisz"])
    with tenant_scope(demo["kalisz"].id):
        db.session.get(Meeting, kalisz.id).title = "Spotkanie w Kaliszu"
        db.session.commit()
    assert "Zmienione bokiem" not in visitor(app, path=path).get_data(as_text=True)
    # the landing page shows every city: it is rendered again
    assert visitor(app, path="/").status_code == 200


def test_a_kept_page_is_per_language_and_per_minute(app, demo, owner, monkeypatch, still_clock):
    path = "/leszno/"
    polish = visitor(app, path=path, **{"Accept-Language": "pl"}).get_data(as_text=True)
    english = visitor(app, path=path, **{"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="pl"' in polish and 'lang="en"' in english

    meeting = first_meeting(demo["leszno"])
    meeting_page = f"/leszno/meetings/{meeting.id}"
    visitor(app, path=meeting_page)
    rename_behind_the_apps_back(owner, "meetings", meeting.id, "title", "Po minucie")
    later = still_clock + timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert "Po minucie" in visitor(app, path=meeting_page).get_data(as_text=True)


def test_a_person_and_a_cookie_are_never_served_a_kept_page(app, demo, people, owner):
    meeting = first_meeting(demo["leszno"])
    path = f"/leszno/meetings/{meeting.id}"
    visitor(app, path=path)
    rename_behind_the_apps_back(owner, "meetings", meeting.id, "title", "Widzi personel")
    staff_page = people["staff"].get(path).get_data(as_text=True)
    assert "Widzi personel" in staff_page
    with_cookie = app.test_client()
    with_cookie.get("/login")  # a form's token: the browser now holds a session
    assert "Widzi personel" in with_cookie.get(path).get_data(as_text=True)


def test_every_page_shared_with_nginx_is_kept_by_the_application(app, demo, owner, count_queries):
    """Every GET route of the URL map that answers a visitor with a page anyone may keep
    (Cache-Control: public; the API's public reads have their ETags instead) answers the
    next visitor without rendering it again: no query but the city's, the same page."""
    values = demo_values(owner)
    urls = [url for rule in get_rules(app) if (url := demo_url(rule, values))]
    shared, rendered_again = [], []
    for url in urls:
        first = visitor(app, path=url)
        if "public" not in first.headers.get("Cache-Control", "") or first.mimetype == JSON:
            continue
        shared.append(url)
        with count_queries(kept=True) as counter:
            second = visitor(app, path=url)
        if counter.count > 1 or second.get_data() != first.get_data():
            rendered_again.append(f"{url}: {counter.count} queries")
    assert len(shared) >= 20, shared
    assert not rendered_again, rendered_again


def _names_in(page: str) -> list[str]:
    import lxml.html

    return [link.text_content().strip() for link in lxml.html.fromstring(page).iter("a")]


def test_every_form_makes_its_token_only_when_shown(app):
    """A form created for a page but not shown to a visitor (a staff action) must not put a
    token in the visitor's session: every form of the code derives from PageForm."""
    from flask_wtf import FlaskForm

    from app.fields import PageForm

    def subclasses(cls):
        return {cls, *(sub for direct in cls.__subclasses__() for sub in subclasses(direct))}

    forms = subclasses(FlaskForm) - {FlaskForm, PageForm}
    assert len(forms) > 50
    assert not {form.__name__ for form in forms if not issubclass(form, PageForm)}


def test_a_city_is_read_once_per_revision_and_again_after_its_change(
    app, demo, people, count_queries
):
    """Each process keeps the city of a slug (app/tenancy/resolution.py) until records no
    city owns get a new revision, which a change of the city's own record gives them."""
    staff = people["staff"]
    staff.get("/leszno/")
    with count_queries(kept=True) as counter:
        staff.get("/leszno/")
    assert not [s for s in counter.statements if "FROM tenants" in s], counter.statements

    leszno = db.session.get(type(demo["leszno"]), demo["leszno"].id)
    names = leszno.names
    leszno.names = {**names, "pl": "Miasto Leszno (nazwa zmieniona)"}
    db.session.commit()
    try:
        assert "Miasto Leszno (nazwa zmieniona)" in staff.get("/leszno/").get_data(as_text=True)
    finally:  # the cities outlive a test: the next ones read Leszno by its name
        leszno.names = names
        db.session.commit()


def test_a_kept_city_a_request_changed_in_place_is_whole_for_the_next(app, demo):
    """Each request is given its own copy of a kept city, its JSON values included."""
    original = demo["leszno"].names["pl"]
    for _ in range(2):  # the first request may be the one that reads and keeps it
        with app.test_request_context("/leszno/"):
            leszno = tenant_of_slug("leszno")
            assert leszno.names["pl"] == original
            leszno.names["pl"] = "Zmienione w miejscu"
            leszno.region.names["pl"] = "Zmienione w miejscu"
            db.session.remove()  # as the end of a request does
    with app.test_request_context("/leszno/"):
        assert tenant_of_slug("leszno").names["pl"] == original
        assert tenant_of_slug("leszno").region.names["pl"] != "Zmienione w miejscu"


def test_an_ngo_persons_cities_are_read_once_per_revision(app, demo, people, count_queries):
    """The header's switcher names the cities of a person's organisations: each process keeps
    them as it keeps a city of a slug, until records no city owns get a new revision."""
    ngo = people["NGO of the city"]
    assert "Leszno" in ngo.get("/leszno/proposals/mine").get_data(as_text=True)
    with count_queries(kept=True) as counter:
        page = ngo.get("/leszno/proposals/mine").get_data(as_text=True)
    assert not [s for s in counter.statements if "FROM tenants" in s], counter.statements
    assert 'id="tenant-switcher"' in page


def test_a_page_of_no_city_asks_the_cache_nothing_for_a_staff_member(
    app, demo, people, cache_commands
):
    """A city's staff member's cities come with them (their memberships): their notifications,
    a page of no city, need no revision, and pay no round trip to the cache for one."""
    staff = people["staff"]
    assert staff.get("/notifications").status_code == 200
    commands = cache_commands()
    assert staff.get("/notifications").status_code == 200
    assert "MGET" not in commands and "GET" not in commands, commands
