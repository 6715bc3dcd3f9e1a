"""The pages of issue #17 and the staff and NGO pages of a working week, who asks for each,
and what one request of each costs in SQL queries (counted in-process)."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import event

from app.extensions import db
from bench.dataset import Dataset
from bench.stack import CSRF

DIRECTORY_PAGE_SIZE = 25


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    who: str | None = None  # "office", "ngo", "coordinator", "token"; None: anonymous


def pages(data: Dataset) -> list[Page]:
    city, programme = f"/{data.city}", f"/{data.city}/programmes/{data.programme_id}"
    region = f"/regions/{data.region}"
    api = f"/api/v1/tenants/{data.city}"
    deep = max(1, int(data.directory_size * 0.93) // DIRECTORY_PAGE_SIZE)
    return [
        Page("landing /", "/"),
        Page("landing: city search", "/?q=miasto+p"),
        Page("city home", f"{city}/"),
        Page("directory page 1 (big city)", f"{city}/organisations"),
        Page("directory search", f"{city}/organisations?q=fundacja+promyk"),
        Page("directory deep page (93 %)", f"{city}/organisations?page={deep}"),
        Page("organisation page", f"{city}/organisations/{data.registration_id}"),
        Page("programme list", f"{city}/programmes"),
        Page("programme overview", programme),
        Page("proposals list (staff)", f"{programme}/proposals", "office"),
        Page("consultation page", f"{programme}/consultation"),
        Page("meeting minutes", f"{city}/meetings/{data.meeting_id}"),
        Page("meeting list", f"{city}/meetings"),
        Page("team page", f"{city}/teams/{data.team_id}"),
        Page(
            "adoption matrix (coordinator)",
            f"{region}/projects/{data.project_id}/adoption",
            "coordinator",
        ),
        Page("benchmark (coordinator)", f"{region}/benchmark", "coordinator"),
        Page(
            "benchmark 5 years (coordinator)",
            f"{region}/benchmark/trend?measure=ngos_per_10k&from={data.year - 4}&to={data.year}",
            "coordinator",
        ),
        Page("API organisations", f"{api}/organisations", "token"),
        Page("API programmes", f"{api}/programmes", "token"),
        Page("API meetings", f"{api}/meetings", "token"),
        Page("staff home", f"{city}/", "office"),
        Page("audit log (staff)", f"{city}/audit", "office"),
        Page("notifications (staff)", "/notifications", "office"),
        Page("NGO home /my-cities", "/my-cities", "ngo"),
        Page("NGO: my proposals", f"{city}/proposals/mine", "ngo"),
        Page("open decisions (staff)", f"{city}/decisions", "office"),
        Page("cycle's SWOT", f"{programme}/swot", "office"),
    ]


@dataclass
class Probe:
    status: int
    queries: int
    size: int
    render_ms: float  # the median of RENDERS in-process: what a page costs when not kept
    kept_ms: float  # the same with the page cache on: what a reader after the first pays


RENDERS = 5


def probe(app: Flask, data: Dataset, all_pages: list[Page]) -> dict[str, Probe]:
    """One request of each page in-process, after one that warms the caches: its status,
    its SQL statements and the size of its answer; then the time of a few more."""
    with app.app_context():
        engine = db.engine
    clients = {who: _client(app, data, who) for who in {p.who for p in all_pages}}
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    results = {}
    event.listen(engine, "before_cursor_execute", count)
    try:
        for page in all_pages:
            client, headers = clients[page.who]
            client.get(page.path, headers=headers)
            statements.clear()
            response = client.get(page.path, headers=headers)
            queries = len(statements)
            results[page.label] = Probe(
                response.status_code,
                queries,
                len(response.data),
                _median_ms(app, client, page, headers, kept=False),
                _median_ms(app, client, page, headers, kept=True),
            )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return results


def _median_ms(app: Flask, client, page: Page, headers: dict[str, str], kept: bool) -> float:
    """The page's time in-process, with the page cache on (after a request that may keep what
    the page keeps) or off (in_process_app's)."""
    keeping = app.config["PAGE_CACHE"]
    app.config["PAGE_CACHE"] = kept
    try:
        if kept:
            client.get(page.path, headers=headers)
        return _render_ms(client, page, headers)
    finally:
        app.config["PAGE_CACHE"] = keeping


def _render_ms(client, page: Page, headers: dict[str, str]) -> float:
    times = []
    for _ in range(RENDERS):
        started = time.perf_counter()
        client.get(page.path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _client(app: Flask, data: Dataset, who: str | None):
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # the production cookie is Secure
    if who == "token":
        return client, {"Authorization": f"Bearer {data.api_token}"}
    if who is not None:
        person = getattr(data, who)
        page = client.get("/login").get_data(as_text=True)
        answer = client.post(
            "/login",
            data={
                "csrf_token": CSRF.search(page).group(1),
                "email": person.email,
                "password": person.password,
            },
            headers={"Referer": "https://localhost/login"},
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{person.email} could not log in in-process ({answer.status_code})")
    return client, {}
