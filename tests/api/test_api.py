from __future__ import annotations

from datetime import timedelta

from openapi_spec_validator import validate
from sqlalchemy import select

from app.accounts.models import ApiToken, as_utc
from app.extensions import db
from app.tenancy import clock
from app.tenancy.context import acting_as
from tests.conftest import PASSWORD


def _token(client, email: str) -> str:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201
    return response.json["token"]


def test_openapi_document_is_valid_and_lists_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json
    validate(spec)
    assert {"/api/v1/me", "/api/v1/tenants", "/api/v1/regions", "/api/v1/auth/token"} <= set(
        spec["paths"]
    )


def test_token_then_me_with_memberships(client, make_user):
    make_user("h.hendrysiak@echo.org.pl", leszno="ngo", kalisz="ngo")
    token = _token(client, "h.hendrysiak@echo.org.pl")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert {m["tenant"]["slug"] for m in me.json["memberships"]} == {"leszno", "kalisz"}
    assert "Set-Cookie" not in me.headers


def test_revoked_token_no_longer_works(client, make_user):
    make_user("h.hendrysiak@echo.org.pl", leszno="ngo")
    token = _token(client, "h.hendrysiak@echo.org.pl")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_token_notes_its_last_use_once_per_interval(
    app, client, make_user, count_queries, monkeypatch
):
    user = make_user("h.hendrysiak@echo.org.pl", leszno="ngo")
    headers = {"Authorization": f"Bearer {_token(client, 'h.hendrysiak@echo.org.pl')}"}
    precision = timedelta(seconds=app.config["API_TOKEN_USE_PRECISION_SECONDS"])
    start = clock.now()

    def call_at(moment) -> list[str]:
        monkeypatch.setattr(clock, "now", lambda: moment)
        with count_queries() as counter:
            assert client.get("/api/v1/me", headers=headers).status_code == 200
        return [s for s in counter.statements if s.startswith("UPDATE api_tokens")]

    def last_used():
        with acting_as(user.id):  # a person's tokens are theirs alone to read
            db.session.expire_all()
            return as_utc(db.session.scalar(select(ApiToken.last_used_at)))

    assert len(call_at(start)) == 1
    assert last_used() == start
    assert call_at(start + precision - timedelta(seconds=1)) == []
    assert last_used() == start  # within the precision the owner reads it with
    assert len(call_at(start + precision)) == 1
    assert last_used() == start + precision


def test_errors_are_problem_json(client, make_user):
    make_user("h.hendrysiak@echo.org.pl", leszno="ngo")
    unauthenticated = client.get("/api/v1/me")
    assert unauthenticated.status_code == 401
    assert unauthenticated.content_type == "application/problem+json"
    assert unauthenticated.json["status"] == 401
    wrong = client.post(
        "/api/v1/auth/token", json={"email": "h.hendrysiak@echo.org.pl", "password": "zle"}
    )
    assert wrong.status_code == 401 and wrong.content_type == "application/problem+json"
    invalid = client.post("/api/v1/auth/token", json={"email": "to nie e-mail"})
    assert invalid.status_code == 422
    assert "email" in invalid.json["errors"]["json"]
    assert "password" in invalid.json["errors"]["json"]
    missing = client.get("/api/v1/nie-ma-takiego")
    assert missing.status_code == 404 and missing.content_type == "application/problem+json"


def test_api_ignores_the_browser_session(client, make_user):
    from tests.conftest import log_in

    make_user("h.hendrysiak@echo.org.pl", leszno="ngo")
    log_in(client, "h.hendrysiak@echo.org.pl")
    assert client.get("/api/v1/me").status_code == 401  # cookies never authenticate the API


def test_tenants_are_public_and_paginated(client):
    first = client.get("/api/v1/tenants?page=1&page_size=5")
    assert first.status_code == 200 and len(first.json) == 5
    assert first.json[0]["region"]["slug"]
    pagination = first.headers["X-Pagination"]
    assert '"total": 11' in pagination
    second = client.get("/api/v1/tenants?page=2&page_size=5").json
    third = client.get("/api/v1/tenants?page=3&page_size=5").json
    slugs = {t["slug"] for t in first.json + second + third}
    assert {
        "wojewodztwo-wielkopolskie",
        "powiat-leszczynski",
        "leszno",
        "kalisz",
        "konin",
        "pila",
        "krakow",
        "gdansk",
        "sopot",
        "torun",
        "zyrardow",
    } == slugs


def test_regions_are_public(client):
    regions = client.get("/api/v1/regions").json
    assert {"slug": "wielkopolskie", "teryt": "30"}.items() <= regions[-1].items()


def test_answers_and_problems_carry_polish_letters_as_written(client):
    """JSON is UTF-8 (RFC 8259): a name reads as written in the answer, not escaped."""
    cities = client.get("/api/v1/tenants?page_size=50").get_data(as_text=True)
    unauthenticated = client.get("/api/v1/me", headers={"Accept-Language": "pl"})

    assert "Żyrardów" in cities and "\\u" not in cities
    assert "Zaloguj się" in unauthenticated.get_data(as_text=True)
