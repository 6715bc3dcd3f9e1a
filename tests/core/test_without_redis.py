"""Without Redis the pages keep serving: logins are counted in memory, the region's figures
are computed instead of read from the cache, and a task that cannot be queued says so."""

from __future__ import annotations

import logging

import pytest

from app import create_app
from app.extensions import limiter
from app.jobs.models import JobStatus
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
