"""Exports over the API, generated from the registry: every page that starts an export has
its twin at the same path under /api/v1, started by the role its page allows, answered with
the job to poll (202, `Location`), polled to done (jobs run in-process in the tests) and its
file downloaded with its type and its Polish name; refused as the page refuses. A new
document or a new page that exports is checked without a line here."""

from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import quote

import pytest
from sqlalchemy import text

from app import exports
from app.demo.loader import DEMO_PASSWORD
from app.exports.api import api_path
from app.exports.doors import Door, doors
from app.exports.render import MIMETYPES
from app.extensions import limiter
from app.tenancy import clock
from tests.conftest import PASSWORD
from tests.sweeps import demo_values

STAFF = "pracownik@leszno.demo"
COORDINATOR = "koordynator@wielkopolska.demo"
ADMIN = "admin@leszno.demo"
PLACES = {"tenant_slug": "leszno", "region_slug": "wielkopolskie"}
# Where the same ids are another city's (region's) business, and whose it is there.
ELSEWHERE = {"tenant_slug": ("kalisz", "admin@kalisz.demo"), "region_slug": ("pomorskie", None)}


def _token(client, email: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    limiter.reset()
    answer = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert answer.status_code == 201, (email, answer.status_code)
    return {"Authorization": f"Bearer {answer.json['token']}"}


def _rule(app, door: Door):
    return next(r for r in app.url_map.iter_rules(door.page) if "POST" in r.methods)


def _roles(app, door: Door) -> tuple[str, ...]:
    return tuple(str(role) for role in app.view_functions[door.page].required_roles)


def _url(app, door: Door, values: dict, **places: str) -> str:
    path = "/api/v1" + api_path(_rule(app, door).rule)
    values = {**values, **PLACES, **places}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)


@pytest.fixture
def known(app, demo, owner) -> dict:
    """The demo's records and the documents' own arguments: Leszno's meeting of seed 000 and
    its programme, Wielkopolska's project over its whole duration, last year's benchmark."""
    values = demo_values(owner)
    with owner.connect() as connection:
        first, last = connection.execute(
            text("SELECT starts_on, ends_on FROM standards_projects WHERE id = :id"),
            {"id": values["project_id"]},
        ).one()
    with app.app_context():
        year = clock.today().year - 1
    # the team of the demo is Kraków's: Leszno's SWOT is its programme's
    values.pop("team_id")
    return values | {"year": year, "first": first.isoformat(), "last": last.isoformat()}


def _body(door: Door, document: str | None, file_format: str, known: dict) -> dict:
    body = {"file_format": file_format}
    if len(door.documents()) > 1:
        body["document"] = document
    arguments = door.arguments().fields if door.arguments else {}
    return body | {name: known[name] for name in arguments if name in known}


def _cases() -> list[tuple[Door, str | None, str]]:
    """Each door with each document it starts, in its first format and as PDF."""
    cases = []
    for door in sorted(doors().values(), key=lambda door: door.page):
        documents = door.documents() or {None: door.formats}
        for document, formats in documents.items():
            for file_format in dict.fromkeys([formats[0], *({"pdf"} & set(formats))]):
                cases.append((door, document, file_format))
    return cases


def test_every_registered_document_has_a_page_and_an_api_twin_with_its_roles(app, client):
    spec = client.get("/api/v1/openapi.json").json["paths"]
    for document in exports.kinds():
        assert exports.page_of(document) in doors(), f"{document}: no page starts it"
    for door in doors().values():
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "/api/v1" + api_path(_rule(app, door).rule))
        assert "post" in spec.get(path, {}), f"{door.page}: no API twin at {path}"
        endpoint = "api_exports." + door.page.replace(".", "_")
        api_roles = tuple(str(r) for r in app.view_functions[endpoint].required_roles)
        assert api_roles == _roles(app, door), door.page


def test_every_document_is_exported_over_the_api_by_the_role_its_page_allows(
    app, client, known, tmp_path
):
    tokens = {STAFF: _token(client, STAFF), COORDINATOR: _token(client, COORDINATOR)}
    checked = 0
    for door, document, file_format in _cases():
        who = COORDINATOR if "coordinator" in _roles(app, door) else STAFF
        label = f"{door.page} {document} {file_format}"
        started = client.post(
            _url(app, door, known),
            json=_body(door, document, file_format, known),
            headers=tokens[who],
        )
        assert started.status_code == 202, (label, started.status_code, started.json)
        job_url = f"/api/v1/jobs/{started.json['id']}"
        assert started.headers["Location"].endswith(job_url), label
        job = client.get(job_url, headers=tokens[who]).json
        assert job["status"] == "done", (label, job)
        assert job["finished_at"] and job["created_at"] <= job["finished_at"], label
        name = job["file"]["name"]
        assert name.endswith(f".{file_format}"), label
        download = client.get(job["file"]["url"], headers=tokens[who])
        assert download.status_code == 200, label
        assert download.mimetype == MIMETYPES[file_format], label
        disposition = download.headers["Content-Disposition"]
        assert disposition.startswith("attachment"), label
        if name.isascii():
            assert f"filename={name}" in disposition, label
        else:
            assert f"filename*=UTF-8''{quote(name)}" in disposition, (label, disposition)
            # old clients read `filename`: protokół → protokol, never protoko
            fallback = name.translate(str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ"))
            assert f"filename={fallback}" in disposition.replace('"', ""), disposition
        if file_format == "pdf":
            assert download.data.startswith(b"%PDF"), label
            (tmp_path / name).write_bytes(download.data)
        checked += 1
    assert checked >= len(exports.kinds()), "every registered document at least once"
    minutes = next(tmp_path.glob("protokół-*.pdf"))
    assert shutil.which("pdftoppm"), "poppler-utils is missing: `make test` installs it"
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", minutes,
                    tmp_path / "page"], check=True)  # fmt: skip
    assert next(tmp_path.glob("page*.png")).stat().st_size > 1000


def test_the_api_refuses_an_export_as_its_page_does(app, client, known, make_user):
    """Anonymous 401; a person without the page's role 403 (before the body is read); the
    ids of this city (region) in another's URL, for a person of that one, 404."""
    make_user("przeglad@leszno.pl", leszno="viewer")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    viewer = _token(client, "przeglad@leszno.pl", PASSWORD)
    staff = _token(client, STAFF)
    others = {
        "tenant_slug": _token(client, ELSEWHERE["tenant_slug"][1]),
        "region_slug": _token(client, "koordynator@pomorskie.pl", PASSWORD),
    }
    answers = []
    for door in doors().values():
        documents = door.documents() or {None: door.formats}
        document, formats = next(iter(documents.items()))
        body = _body(door, document, formats[0], known)
        url = _url(app, door, known)
        regional = "coordinator" in _roles(app, door)
        without_the_role = staff if regional else viewer
        sent = [
            ("anonymous", url, {}, {}, 401),
            ("without the role", url, without_the_role, {}, 403),
            ("without the role, empty body", url, without_the_role, None, 403),
        ]
        place = "region_slug" if regional else "tenant_slug"
        ids = [a for a in _rule(app, door).arguments if a.endswith("_id")]
        named = [name for name in body if name.endswith("_id")]
        if ids or named:
            elsewhere = _url(app, door, known, **{place: ELSEWHERE[place][0]})
            sent.append(("this one's ids elsewhere", elsewhere, others[place], body, 404))
        for label, target, headers, data, expected in sent:
            answer = client.post(target, json=body if data == {} else data, headers=headers)
            if answer.status_code != expected:
                answers.append(f"{door.page} {label}: {answer.status_code}, not {expected}")
    assert not answers, "\n".join(answers)


def test_a_job_is_seen_and_downloaded_by_the_person_who_started_it_only(app, client, known):
    staff, admin = _token(client, STAFF), _token(client, ADMIN)
    door = doors()["meetings.export"]
    started = client.post(
        _url(app, door, known), json={"document": "minutes", "file_format": "pdf"}, headers=staff
    )
    job_url = started.headers["Location"]
    assert client.get(job_url, headers=staff).status_code == 200
    for headers, expected in (({}, 401), (admin, 404)):
        assert client.get(job_url, headers=headers).status_code == expected
        assert client.get(job_url + "/file", headers=headers).status_code == expected
    assert client.get("/api/v1/jobs/no-such-job", headers=staff).status_code == 404


REFUSED = [
    (
        "meetings.export",
        {"document": "protokół", "file_format": "pdf"},
        "'document'",
    ),
    (
        "regions.export_benchmark",
        {"file_format": "pdf", "year": 1990},
        "Brak danych za ten rok.",
    ),
    (
        "regions.project_report",
        {"file_format": "pdf", "first": "1999-01-01", "last": "1999-12-31"},
        "Okres nie może zaczynać się przed projektem",
    ),
    ("meetings.export_swot", {"file_format": "pdf"}, "Wybierz zespół lub program"),
]


def test_what_cannot_be_exported_is_refused_with_a_translated_message(app, client, known):
    tokens = {STAFF: _token(client, STAFF), COORDINATOR: _token(client, COORDINATOR)}
    for page, body, message in REFUSED:
        who = COORDINATOR if page.startswith("regions.") else STAFF
        headers = tokens[who] | {"Accept-Language": "pl"}
        answer = client.post(_url(app, doors()[page], known), json=body, headers=headers)
        assert answer.status_code == 422, (page, answer.status_code)
        assert message in str(answer.json), (page, answer.json)
