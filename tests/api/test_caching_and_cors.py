"""Public reads of the API: conditional GET for anyone, CORS for the websites a city lists
in its TOML file (`cors_origins`); neither for an answer to a bearer token, nor for a write."""

from __future__ import annotations

import pytest

from app.extensions import limiter

MEETINGS = "/api/v1/tenants/leszno/meetings"
LESZNO_SITE = "https://www.leszno.pl"  # in tenants/leszno.toml


@pytest.fixture
def staff_token(client, demo):
    from app.demo.loader import DEMO_PASSWORD

    limiter.reset()
    answer = client.post(
        "/api/v1/auth/token", json={"email": "pracownik@leszno.demo", "password": DEMO_PASSWORD}
    )
    return {"Authorization": f"Bearer {answer.json['token']}"}


def test_a_public_read_answers_304_when_nothing_changed(client, demo):
    first = client.get(MEETINGS)
    assert first.status_code == 200 and first.headers["ETag"]
    assert "no-store" not in first.headers["Cache-Control"]
    assert {"Authorization", "Origin", "Accept-Language"} <= set(first.vary)
    again = client.get(MEETINGS, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    other_page = client.get(
        f"{MEETINGS}?page_size=1", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert other_page.status_code == 200


def test_a_record_tells_when_it_changed(client, demo):
    meeting_id = client.get(MEETINGS).json[0]["id"]
    record = client.get(f"{MEETINGS}/{meeting_id}")
    assert record.headers["Last-Modified"]
    since = client.get(
        f"{MEETINGS}/{meeting_id}", headers={"If-Modified-Since": record.headers["Last-Modified"]}
    )
    assert since.status_code == 304


def test_an_answer_to_a_token_is_never_conditional_nor_cached(client, staff_token):
    answer = client.get(MEETINGS, headers=staff_token)
    assert answer.status_code == 200
    assert "ETag" not in answer.headers and "Last-Modified" not in answer.headers
    assert "no-store" in answer.headers["Cache-Control"]
    assert "Authorization" in answer.vary


def test_cors_only_for_the_city_own_sites_on_public_reads(client, staff_token):
    allowed = client.get(MEETINGS, headers={"Origin": LESZNO_SITE})
    assert allowed.headers["Access-Control-Allow-Origin"] == LESZNO_SITE
    assert "X-Pagination" in allowed.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    refused = {
        "an unlisted site": client.get(MEETINGS, headers={"Origin": "https://evil.example"}),
        "another city's data": client.get(
            "/api/v1/tenants/kalisz/meetings", headers={"Origin": LESZNO_SITE}
        ),
        "a token": client.get(MEETINGS, headers={"Origin": LESZNO_SITE, **staff_token}),
        "a staff-only read": client.get(
            "/api/v1/tenants/leszno/decisions", headers={"Origin": LESZNO_SITE, **staff_token}
        ),
        "a write": client.post(MEETINGS, json={}, headers={"Origin": LESZNO_SITE}),
    }
    for why, answer in refused.items():
        assert "Access-Control-Allow-Origin" not in answer.headers, why


def test_cors_preflight_for_a_conditional_read_but_not_for_a_token(client, demo):
    asked = {"Origin": LESZNO_SITE, "Access-Control-Request-Method": "GET"}
    preflight = client.options(
        MEETINGS, headers={**asked, "Access-Control-Request-Headers": "if-none-match"}
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == LESZNO_SITE
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    with_token = client.options(
        MEETINGS, headers={**asked, "Access-Control-Request-Headers": "authorization"}
    )
    assert "Access-Control-Allow-Origin" not in with_token.headers
    to_write = client.options(MEETINGS, headers={**asked, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in to_write.headers
