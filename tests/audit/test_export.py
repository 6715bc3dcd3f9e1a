"""The audit log's export through both doors: the page's filters and the API's, given by the
same names, select the same entries and give the same file; the API refuses a filter it
cannot apply rather than exporting everything."""

from __future__ import annotations

import csv
import io

import pytest

from app.extensions import db, limiter
from app.programmes import services
from app.programmes.catalogue import Kind
from app.tenancy.context import tenant_scope
from tests.conftest import PASSWORD, log_in, post_form

ADMIN = "a.szymanska@leszno.pl"
EXPORT = "/api/v1/tenants/leszno/audit/export"


@pytest.fixture
def log(make_user, tenants):
    """Leszno's office makes its 2025 programme, renames it and opens it for proposals."""
    make_user(ADMIN, leszno="admin")
    make_user("m.nowak@leszno.pl", leszno="staff")
    with tenant_scope(tenants["leszno"].id):
        programme = services.create(Kind.ANNUAL, 2025, 2025, "Program współpracy na 2025 rok")
        db.session.commit()
        assert programme.title  # loaded again, as a request loads what it changes
        programme.title = "Program współpracy Miasta Leszna na 2025 rok"
        db.session.commit()
        programme.stage = "proposals_open"
        db.session.commit()


def _token(client, email: str) -> dict[str, str]:
    limiter.reset()
    answer = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 201, answer.json
    return {"Authorization": f"Bearer {answer.json['token']}"}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def _from_the_page(client, filters: dict[str, str]) -> bytes:
    job_url = post_form(client, "/leszno/audit/export", filters).location
    return client.get(job_url + "/download").get_data()


def _from_the_api(client, headers: dict, body: dict) -> bytes:
    started = client.post(EXPORT, json={"file_format": "csv", **body}, headers=headers)
    assert started.status_code == 202, started.json
    job = client.get(started.headers["Location"], headers=headers).json
    assert job["status"] == "done", job
    return client.get(job["file"]["url"], headers=headers).get_data()


def test_the_api_exports_the_entries_the_pages_filters_select(app, client, log):
    browser = app.test_client()
    log_in(browser, ADMIN)
    token = _token(client, ADMIN)
    renamed = {"entity": "Programme", "action": "update", "from": "2020-01-01"}

    from_the_page = _from_the_page(browser, renamed)
    from_the_api = _from_the_api(client, token, renamed)

    rows = _rows(from_the_api)
    assert from_the_api == from_the_page
    assert len(rows) == 2, rows  # the new title, then the stage
    assert {(row["Działanie"], row["Rekord"]) for row in rows} == {
        ("zmieniono", "Program współpracy")
    }
    everything = _rows(_from_the_api(client, token, {}))
    assert {"Rola w urzędzie", "Program współpracy"} <= {row["Rekord"] for row in everything}
    assert len(everything) > len(rows)
    before_any = _from_the_api(client, token, {"to": "2020-12-31"})
    assert _rows(before_any) == [] and before_any == _from_the_page(browser, {"to": "2020-12-31"})


def test_the_api_refuses_what_the_log_cannot_be_filtered_or_exported_by(client, log):
    token = _token(client, ADMIN)
    for body in (
        {"file_format": "csv", "action": "erase"},
        {"file_format": "csv", "from": "13.07.2023"},
        {"file_format": "pdf"},
    ):
        answer = client.post(EXPORT, json=body, headers=token)
        assert answer.status_code == 422, (body, answer.status_code)
    staff = _token(client, "m.nowak@leszno.pl")
    assert client.post(EXPORT, json={"file_format": "csv"}, headers=staff).status_code == 403
