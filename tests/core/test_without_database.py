"""Without the database: a translated, styled 503 with Retry-After for every visitor, and
problem+json for the API — never a 500."""

from __future__ import annotations

import pytest

from app import create_app
from tests.conftest import APP_ROLE, BrowserLikeClient, app_config, free_port, log_in


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


def test_a_logged_in_person_gets_the_translated_page(client, make_user, database_down):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    visitor = database_down.test_client()
    visitor.set_cookie("session", client.get_cookie("session").value)
    response = visitor.get("/leszno/")
    print(response.status_code, response.headers, response.get_data(as_text=True)[:3000])
    assert 0
