"""Exports over the API, generated from the registry: every page that starts an export has
its twin at the same path under /api/v1, started by the role its page allows, answered with
the job to poll (202, `Location`), polled to done (jobs run in-process in the tests) and its
file downloaded with its type and its Polish name; refused as the page refuses. A new
document or a new page that exports is checked without a line here."""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
from types import CodeType
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
OPERATOR = "operator@razem.demo"
VIEWER = "przeglad@leszno.pl"
# The demo's person holding each role a page may require, the least entitled first.
HOLDING = {"staff": STAFF, "admin": ADMIN, "coordinator": COORDINATOR, "operator": OPERATOR}
# Who holds which of those roles (the viewer none of them), the most entitled first.
HELD_BY = {ADMIN: {"admin"}, STAFF: {"staff"}, VIEWER: set()}
PLACES = {"tenant_slug": "leszno", "region_slug": "wielkopolskie"}
# The documents' types, and the archives' (a city's, a person's data)
FILE_TYPES = MIMETYPES | {"zip": "application/zip"}
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


def _holder(app, door: Door) -> str:
    """A person of the demo whom the door's page lets in (anyone signed in where it
    requires no role)."""
    roles = _roles(app, door)
    return next((person for role, person in HOLDING.items() if role in roles), STAFF)


def _without_the_role(app, door: Door) -> str | None:
    """The most entitled person of the city holding none of the page's roles."""
    roles = set(_roles(app, door))
    if not roles:
        return None
    return next(person for person, held in HELD_BY.items() if not held & roles)


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


# Pages that send a person to watch a job they started which exports nothing, and why they
# need no export door.
NOT_EXPORTS = {
    "organisations.import_preview": "an import: its job writes the person's file into the "
    "city's register (the report on its rows is the import's answer, not a document)",
}


def _shows_a_job(view) -> bool:
    """Whether a view answers with the page of a job it started: its code (or code nested
    in it) names the job page's endpoint, as a page that starts a job for a person to watch
    does (`redirect(url_for("jobs.status", ...))`)."""
    codes: list[CodeType] = [inspect.unwrap(view).__code__]
    while codes:
        code = codes.pop()
        if "jobs.status" in code.co_consts:
            return True
        codes.extend(const for const in code.co_consts if isinstance(const, CodeType))
    return False


def test_every_page_that_starts_a_job_for_a_person_is_an_export_door(app):
    """Read from the URL map, not listed: each page (a POST outside the API) whose answer is
    the job it started is declared as a door, so its API twin is generated and checked
    above; the few that export nothing say here why."""
    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and not rule.rule.startswith("/api/")
        and _shows_a_job(app.view_functions[rule.endpoint])
    }
    assert set(doors()) <= pages, "the reading finds every door's own page"
    assert set(NOT_EXPORTS) <= pages, "a reason left for a page that starts no job"
    without = sorted(pages - set(doors()) - set(NOT_EXPORTS))
    assert not without, f"these pages start a job with no export door (no API twin): {without}"


def test_every_document_is_exported_over_the_api_by_the_role_its_page_allows(
    app, client, known, tmp_path
):
    tokens = {person: _token(client, person) for person in HOLDING.values()}
    checked = 0
    for door, document, file_format in _cases():
        who = _holder(app, door)
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
        assert download.mimetype == FILE_TYPES[file_format], label
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
    make_user(VIEWER, leszno="viewer")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    tokens = {VIEWER: _token(client, VIEWER, PASSWORD)}
    tokens |= {person: _token(client, person) for person in (STAFF, ADMIN)}
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
        sent = [("anonymous", url, {}, {}, 401)]
        if without_the_role := _without_the_role(app, door):
            sent += [
                ("without the role", url, tokens[without_the_role], {}, 403),
                ("without the role, empty body", url, tokens[without_the_role], None, 403),
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
    ("audit.export", {"file_format": "csv", "action": "erase"}, "'action'"),
]


def test_what_cannot_be_exported_is_refused_with_a_translated_message(app, client, known):
    tokens = {person: _token(client, person) for person in HOLDING.values()}
    for page, body, message in REFUSED:
        headers = tokens[_holder(app, doors()[page])] | {"Accept-Language": "pl"}
        answer = client.post(_url(app, doors()[page], known), json=body, headers=headers)
        assert answer.status_code == 422, (page, answer.status_code)
        assert message in str(answer.json), (page, answer.json)
