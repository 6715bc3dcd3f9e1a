"""Without the database: a translated, styled 503 with Retry-After for every visitor, and
problem+json for the API — never a 500; and a connection the database dropped (a restart)
never reaches a request."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from tests.conftest import (
    APP_ROLE,
    BrowserLikeClient,
    app_config,
    csrf_token,
    free_port,
    log_in,
)

UNAVAILABLE_PL = "Serwis jest chwilowo niedostępny."


@pytest.fixture
def database_down(app, databases, mailbox, tmp_path_factory):
    """The same deployment (secret key, Redis) with its database gone: nothing listens on
    the port of its URL."""
    nowhere = f"postgresql+psycopg://{APP_ROLE}@127.0.0.1:{free_port()}/{databases.name}"
    down = create_app(
        app_config(databases, mailbox, tmp_path_factory, SQLALCHEMY_DATABASE_URI=nowhere)
    )
    down.test_client_class = BrowserLikeClient
    return down


def _assert_unavailable_page(response) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.mimetype == "text/html"
    assert '<html lang="pl">' in page and UNAVAILABLE_PL in page
    assert "/static/css/razem.css" in page  # styled like every page
    assert response.headers["Content-Security-Policy"]  # and as guarded


@pytest.mark.parametrize("path", ["/", "/leszno/", "/leszno/programmes", "/regions/wielkopolskie/"])
def test_an_anonymous_visitor_gets_the_translated_page(database_down, path):
    _assert_unavailable_page(database_down.test_client().get(path))


def test_a_logged_in_person_gets_the_translated_page(client, make_user, database_down):
    make_user("a.szymanska@leszno.pl", leszno="admin", locale="pl")
    log_in(client, "a.szymanska@leszno.pl")
    visitor = database_down.test_client()
    visitor.set_cookie("session", client.get_cookie("session").value)

    for path in ("/leszno/", "/leszno/members", "/account"):
        _assert_unavailable_page(visitor.get(path))


def test_a_login_sent_meanwhile_gets_the_page_too(database_down):
    visitor = database_down.test_client()
    login_page = visitor.get("/login")  # reads nothing from the database
    assert login_page.status_code == 200
    answer = post_form_from(visitor, "/login", {"email": "a@b.pl", "password": "hasło"})
    _assert_unavailable_page(answer)


def post_form_from(visitor, path: str, data: dict):
    token = csrf_token(visitor, path)
    return visitor.post(path, data={"csrf_token": token, **data})


def test_the_api_answers_problem_json(database_down):
    api = database_down.test_client()
    for headers in ({}, {"Authorization": "Bearer some-token"}):
        response = api.get("/api/v1/tenants", headers=headers)
        assert response.status_code == 503
        assert response.mimetype == "application/problem+json"
        assert int(response.headers["Retry-After"]) > 0
        assert response.json["status"] == 503 and response.json["title"]


def test_a_connection_the_database_dropped_never_reaches_a_request(app, client, owner):
    with app.app_context():
        with db.engine.connect() as connection:  # one connection kept in the pool, idle
            connection.scalar(text("SELECT 1"))
        # as a restart of PostgreSQL does to every connection
        with owner.connect() as admin:
            admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND usename = :role"
                ),
                {"role": APP_ROLE},
            )
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 200]
