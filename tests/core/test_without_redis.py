"""Without Redis the pages keep serving: logins are counted in memory, the region's figures
are computed instead of read from the cache, and a task that cannot be queued says so."""

from __future__ import annotations

import logging
from datetime import timedelta

import lxml.html
import pytest

from app import create_app
from app.extensions import db, limiter
from app.jobs.models import JobStatus
from app.meetings.models import Meeting
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import BrowserLikeClient, app_config, free_port, log_in, post_form


@pytest.fixture
def redis_down(app, databases, mailbox, tmp_path_factory):
    """The same deployment with its Redis gone: nothing listens on the port of its URL."""
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    down = create_app(
        app_config(
            databases,
            mailbox,
            tmp_path_factory,
            REDIS_URL=nowhere,
            RATELIMIT_STORAGE_URI=nowhere,
            CACHE_REDIS_URL=nowhere,
        )
    )
    down.test_client_class = BrowserLikeClient
    yield down
    # The limiter is one object for every app of the process: give it back to the suite's
    # app and its Redis, as alive as the suite expects it.
    limiter.init_app(app)
    limiter._storage_dead = False


def test_login_works_and_is_still_limited_with_a_warning(redis_down, make_user, caplog):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    client = redis_down.test_client()

    with caplog.at_level(logging.WARNING):
        log_in(client, "a.szymanska@leszno.pl")
    assert "falling back to in-memory storage" in caplog.text

    stranger = redis_down.test_client()
    wrong = {"email": "a.szymanska@leszno.pl", "password": "nie-to-hasło"}
    statuses = [post_form(stranger, "/login", wrong).status_code for _ in range(11)]
    # ten tries a minute, counted in this process: the login above was the first
    assert statuses[:9] == [200] * 9 and statuses[9:] == [429, 429]


def test_the_matrix_and_the_benchmark_are_computed(redis_down, make_user, tenants, regions):
    project = factories.standards_project(regions["wielkopolskie"])
    factories.adoption(tenants["leszno"], project.blocks[0].standards[0], "adopted")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    client = redis_down.test_client()
    log_in(client, "p.zielinski@umww.pl")

    matrix = client.get(f"/regions/wielkopolskie/projects/{project.id}/adoption")
    benchmark = client.get("/regions/wielkopolskie/benchmark")

    assert matrix.status_code == 200 and ">adopted<" in matrix.get_data(as_text=True)
    assert benchmark.status_code == 200 and "Leszno" in benchmark.get_data(as_text=True)


def test_an_export_that_cannot_be_queued_fails_with_a_message(redis_down, make_user, regions):
    project = factories.standards_project(regions["wielkopolskie"])
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    client = redis_down.test_client()
    log_in(client, "p.zielinski@umww.pl")

    started = post_form(
        client,
        f"/regions/wielkopolskie/projects/{project.id}/adoption/export",
        {"file_format": "csv"},
    )
    assert started.status_code == 302
    page = client.get(started.location).get_data(as_text=True)
    status = client.get(started.location + "/status.json").json

    assert status["status"] == JobStatus.FAILED and status["finished"]
    assert "usługa, która wykonuje zadania w tle, jest chwilowo niedostępna" in page


def test_an_ngo_home_reads_its_cities_when_nothing_can_be_kept(redis_down, make_user, tenants):
    """What an NGO's home keeps by each city's revision (core.home.ngo_cities) is read from
    the database instead: the cities' meetings and the person's places are all there."""
    from app.organisations.models import OrganisationMember

    person = make_user("h.hendrysiak@echo.org.pl", locale="pl")
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    factories.registration(tenants["leszno"], echo)
    db.session.add(OrganisationMember(organisation_id=echo.id, user=person))
    db.session.commit()
    meeting_id = factories.meeting(tenants["leszno"])
    with tenant_scope(tenants["leszno"].id):
        meeting = db.session.get(Meeting, meeting_id)
        meeting.title, meeting.held_on = "Forum Leszczyńskie", clock.today() + timedelta(days=7)
        meeting.registration_open, meeting.capacity = True, 30
        db.session.commit()
    factories.event_registration(tenants["leszno"], person.email, meeting_id)
    client = redis_down.test_client()
    log_in(client, person.email)

    html = lxml.html.fromstring(client.get("/my-cities").text)

    places = html.xpath("//section[@aria-labelledby='registrations-heading']//h3")
    assert [" ".join(place.text_content().split()) for place in places] == ["Forum Leszczyńskie"]
    card = " ".join(html.xpath("//main/ul[@class='card-list']/li")[0].text_content().split())
    assert "Forum Leszczyńskie" in card and "zostało 29 wolnych miejsc" in card
