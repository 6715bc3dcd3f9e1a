"""Optimistic locking over HTTP: an update states the version it read, in its body or as
the ETag in If-Match, and a stale one changes nothing. Which operations must do so is read
from the OpenAPI document: every update (PATCH or PUT) declares it."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import PASSWORD


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


@pytest.fixture
def minutes(client, make_user, tenants):
    meeting_id = factories.meeting(tenants["leszno"])
    make_user("b.grygier@leszno.pl", leszno="staff")
    return f"/api/v1/tenants/leszno/meetings/{meeting_id}", _bearer(client, "b.grygier@leszno.pl")


def test_a_token_holders_read_carries_the_version_as_its_etag(client, minutes):
    url, staff = minutes
    read = client.get(url, headers=staff)
    assert read.headers["ETag"] == f'"v{read.json["version"]}"'


def test_if_match_with_the_etag_read_updates_and_answers_the_next_etag(client, minutes):
    url, staff = minutes
    etag = client.get(url, headers=staff).headers["ETag"]
    saved = client.patch(
        url, json={"goal": "Cel według Barbary."}, headers=staff | {"If-Match": etag}
    )
    assert saved.status_code == 200
    assert saved.headers["ETag"] != etag
    assert saved.headers["ETag"] == f'"v{saved.json["version"]}"'


def test_a_stale_if_match_answers_412_and_changes_nothing(client, minutes):
    url, staff = minutes
    etag = client.get(url, headers=staff).headers["ETag"]
    client.patch(url, json={"goal": "Cel według Barbary."}, headers=staff | {"If-Match": etag})
    stale = client.patch(url, json={"goal": "Cel według Anny."}, headers=staff | {"If-Match": etag})
    assert stale.status_code == 412
    assert stale.mimetype == "application/problem+json"
    assert stale.json["title"] == "Zapis zmienił się od chwili odczytu."
    assert client.get(url, headers=staff).json["goal"] == "Cel według Barbary."


def test_a_stale_version_in_the_body_answers_409(client, minutes):
    url, staff = minutes
    version = client.get(url, headers=staff).json["version"]
    client.patch(url, json={"version": version, "goal": "Cel według Barbary."}, headers=staff)
    stale = client.patch(url, json={"version": version, "goal": "Cel według Anny."}, headers=staff)
    assert stale.status_code == 409
    assert client.get(url, headers=staff).json["goal"] == "Cel według Barbary."


def test_an_update_without_a_version_answers_428_in_the_readers_language(client, minutes):
    url, staff = minutes
    blind = client.patch(
        url, json={"goal": "Cel bez wersji."}, headers=staff | {"Accept-Language": "pl"}
    )
    assert blind.status_code == 428
    assert "wersj" in blind.json["detail"]
    assert blind.json["title"] == "Podaj, którą wersję zapisu odczytano."
    assert client.get(url, headers=staff).json["goal"] != "Cel bez wersji."


def test_an_if_match_that_is_no_etag_of_ours_answers_400(client, minutes):
    url, staff = minutes
    odd = client.patch(url, json={"goal": "x"}, headers=staff | {"If-Match": "*"})
    assert odd.status_code == 400


def test_every_update_in_the_document_takes_if_match(client):
    """A PATCH, or a PUT replacing what is there (200), that does not declare the versioned
    answers is an update that can overwrite what someone else saved in between."""
    paths = client.get("/api/v1/openapi.json").json["paths"]
    updates = {
        f"{method.upper()} {path}": operation
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method == "patch" or (method == "put" and "200" in operation["responses"])
    }
    assert updates
    unversioned = [
        name
        for name, operation in updates.items()
        if not {"409", "412", "428"} <= set(operation["responses"])
        or not any(p["name"] == "If-Match" for p in operation.get("parameters", []))
    ]
    assert unversioned == []
