"""Every list of the API pages alike, read from the OpenAPI document; meetings and
programmes say what an integrator needs of them."""

from __future__ import annotations

import json

import pytest

from app.extensions import limiter

SLUGS = {"tenant_slug": "leszno", "region_slug": "wielkopolskie"}


@pytest.fixture(scope="module")
def document(app):
    return app.test_client().get("/api/v1/openapi.json").json


def _lists(spec):
    """(path, operation) of every GET answering a JSON array."""
    for path, item in spec["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        answer = operation["responses"]["200"]["content"].get("application/json")
        if answer is not None and answer["schema"].get("type") == "array":
            yield path, operation


def _public_urls(spec):
    """The public lists whose path names only a city or a region (the demo's)."""
    for path, operation in _lists(spec):
        if "security" in operation:
            continue
        url = path
        for name, value in SLUGS.items():
            url = url.replace("{" + name + "}", value)
        if "{" not in url:
            yield url


def test_every_list_is_paginated_and_says_so(document):
    lists = list(_lists(document))
    assert len(lists) >= 14
    for path, operation in lists:
        names = {p["name"] for p in operation["parameters"]}
        assert {"page", "page_size"} <= names, path
        assert "X-Pagination" in operation["responses"]["200"]["headers"], path
        assert "400" in operation["responses"], path


def test_public_lists_page_alike_and_refuse_bad_pages(client, demo, document):
    urls = list(_public_urls(document))
    assert len(urls) >= 8
    for url in urls:
        first = client.get(f"{url}?page=1&page_size=1")
        assert first.status_code == 200, url
        pagination = json.loads(first.headers["X-Pagination"])
        assert len(first.json) == min(1, pagination["total"]), url
        if pagination["total"] > 1:
            assert 'rel="next"' in first.headers["Link"], url
            assert "page=2" in first.headers["Link"], url
        for bad in ("page=0", "page_size=0", "page_size=101", "page=x"):
            refused = client.get(f"{url}?{bad}")
            assert refused.status_code == 400, (url, bad)
            assert refused.content_type == "application/problem+json"
            assert refused.json["errors"]["query"], (url, bad)


def test_a_kept_page_of_a_list_answers_as_the_first_did(client, demo, document):
    """Lists kept for the city (api.blueprint.kept_list_page) keep their answer serialised:
    the next reader is answered the same body, type and pagination, word for word."""
    for url in _public_urls(document):
        first, kept = (client.get(f"{url}?page=2&page_size=2") for _ in range(2))
        assert first.status_code == kept.status_code == 200, url
        assert kept.content_type == first.content_type == "application/json", url
        assert kept.data == first.data, url
        assert kept.json == json.loads(first.data), url
        for header in ("X-Pagination", "Link", "ETag"):
            assert kept.headers.get(header) == first.headers.get(header), (url, header)


def test_meetings_honour_page_and_tell_place_time_and_free_places(client, demo):
    first = client.get("/api/v1/tenants/leszno/meetings?page_size=1")
    second = client.get("/api/v1/tenants/leszno/meetings?page_size=1&page=2")
    assert first.json and second.json and first.json[0]["id"] != second.json[0]["id"]
    every = client.get("/api/v1/tenants/leszno/meetings?page_size=100").json
    open_ones = [m for m in every if m["registration"] == "open"]
    assert open_ones, "the demo has a meeting open for registration"
    assert all(m["links"]["page"].endswith(f"/meetings/{m['id']}") for m in every)
    assert all(m["place"] and m["starts_at"] for m in open_ones)
    assert any(m["places_left"] is not None for m in open_ones)
    assert all(m["links"]["calendar"].endswith("meeting.ics") for m in every)


def test_programmes_honour_page_and_tell_stage_windows_and_deadlines(client, demo):
    every = client.get("/api/v1/tenants/leszno/programmes?page_size=100").json
    assert len(every) >= 2
    one = client.get("/api/v1/tenants/leszno/programmes?page_size=1&page=2").json
    assert one == every[1:2]
    assert all(p["stage"] and len(p["deadlines"]) == 2 and p["links"]["page"] for p in every)
    assert any(p["consultation_to"] for p in every)


def test_updated_since_keeps_what_changed(client, demo):
    url = "/api/v1/tenants/leszno/meetings?page_size=100"
    everything = client.get(url).json
    assert client.get(f"{url}&updated_since=2000-01-01T00:00:00").json == everything
    assert client.get(f"{url}&updated_since=2999-01-01T00:00:00%2B00:00").json == []
    assert client.get(f"{url}&updated_since=wczoraj").status_code == 400
    organisations = "/api/v1/tenants/leszno/organisations"
    assert client.get(f"{organisations}?updated_since=2000-01-01T00:00:00").json
    assert client.get(f"{organisations}?updated_since=2999-01-01T00:00:00").json == []


def test_staff_lists_page_alike(client, demo):
    from app.demo.loader import DEMO_PASSWORD

    limiter.reset()
    token = client.post(
        "/api/v1/auth/token", json={"email": "pracownik@leszno.demo", "password": DEMO_PASSWORD}
    ).json["token"]
    answer = client.get(
        "/api/v1/tenants/leszno/decisions?page_size=1",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200 and len(answer.json) <= 1
    assert "X-Pagination" in answer.headers
