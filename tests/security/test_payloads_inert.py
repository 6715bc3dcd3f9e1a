"""Script and formula payloads in every free-text column of the demo (tests/security/
payloads.py) stay inert: no page runs them, no spreadsheet export evaluates them."""

from __future__ import annotations

import csv
import io
import zipfile
from urllib.parse import urlsplit

import lxml.html
import openpyxl
import pytest
from werkzeug.datastructures import MultiDict

from app.exports.render import MIMETYPES
from app.exports.tables import FORMULA_STARTS, TABLE_FORMATS
from tests.security.payloads import PAYLOADS, plant_payloads
from tests.security.planted import an_event_with_people
from tests.security.routes import demo_url, get_rules
from tests.sweeps import as_a_browser_submits, demo_values

VISITORS = ("anonymous", "NGO of the city", "staff", "admin", "coordinator")
KIND_OF = {MIMETYPES[kind]: kind for kind in TABLE_FORMATS}
FORMULAS = tuple(payload for payload in PAYLOADS if payload.startswith(FORMULA_STARTS))


@pytest.fixture
def hostile_demo(app, people, owner):
    with owner.begin() as connection:
        city = connection.exec_driver_sql("SELECT id FROM tenants WHERE slug = 'leszno'").scalar()
        event = an_event_with_people(connection, city)
    written = plant_payloads(owner)
    values = demo_values(owner)
    urls = sorted(
        {
            url
            for rule in get_rules(app)
            if not rule.rule.startswith("/api/")
            for variant in ({}, {"meeting_id": event})  # the demo's meeting, and an event
            if (url := demo_url(rule, {**values, **variant}))
        }
    )
    return written, urls


def scripts_run_by(page: str) -> list[str]:
    """The payloads the page would run: script elements and event handler attributes."""
    document = lxml.html.fromstring(page)
    found = [
        f"<script>{element.text}"
        for element in document.iter("script")
        if "alert(1)" in (element.text or "")
    ]
    for element in document.iter():
        for name, value in element.attrib.items():
            if name.lower().startswith("on") and "alert(1)" in value:
                found.append(f"<{element.tag} {name}={value}>")
    return found


def test_no_page_runs_a_payload_typed_into_any_free_text_field(people, hostile_demo):
    written, urls = hostile_demo
    run, shown, pages = [], 0, 0
    for who in VISITORS:
        for url in urls:
            answer = people[who].get(url)
            if answer.status_code != 200 or answer.mimetype != "text/html":
                continue
            page = answer.get_data(as_text=True)
            pages += 1
            shown += "alert(1)" in page
            run.extend(f"{who}: GET {url}: {found}" for found in scripts_run_by(page))
    assert not run, "\n".join(run[:40])
    assert shown > 50, shown  # the payloads did reach the pages
    print(f"{len(written)} columns, {pages} pages, {shown} showing a payload")


def export_forms(people, urls) -> dict[tuple[str, str, str], MultiDict]:
    """Every export form on the pages of the city's admin and the region's coordinator: (who,
    action, document) → the form."""
    forms = {}
    for who in ("admin", "coordinator"):
        for url in urls:
            answer = people[who].get(url)
            if answer.status_code != 200 or answer.mimetype != "text/html":
                continue
            document = lxml.html.fromstring(answer.get_data(as_text=True))
            for form in document.forms:
                action = urlsplit(form.get("action") or url).path
                if (form.get("method") or "").lower() == "post" and action.endswith("/export"):
                    values = as_a_browser_submits(form)
                    forms[(who, action, values.get("document", ""))] = values
    return forms


def formulas_in(data: bytes, file_format: str) -> tuple[list[str], int]:
    """Cells a spreadsheet would evaluate, and how many cells hold a payload at all."""
    if file_format == "csv":
        cells = [
            cell
            for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
            for cell in row
        ]
        live = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    elif file_format == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        sheet_cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
        cells = [str(cell.value) for cell in sheet_cells if cell.value is not None]
        live = [str(cell.value) for cell in sheet_cells if cell.data_type == "f"]
    else:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert "content.xml" in names, names
        content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
        cells = [content]
        live = ["table:formula"] if "table:formula=" in content else []
    return live, sum(any(formula[1:] in cell for formula in FORMULAS) for cell in cells)


def test_every_spreadsheet_export_keeps_formula_payloads_inert(people, hostile_demo):
    _, urls = hostile_demo
    forms = export_forms(people, urls)
    assert len(forms) >= 5, sorted(forms)
    live, holding, files = [], 0, 0
    for (who, action, document), values in sorted(forms.items()):
        # every table format the server takes, whether or not the form offers it
        field = next((name for name in ("file_format", "format") if name in values), None)
        for file_format in TABLE_FORMATS if field else [None]:
            if field:
                values[field] = file_format
            job = people[who].post(action, data=values)
            if job.status_code == 400:
                continue
            assert job.status_code == 302, (who, action, document, job.status_code)
            download = people[who].get(urlsplit(job.location).path + "/download")
            assert download.status_code == 200, (who, action, document, file_format)
            kind = KIND_OF[download.mimetype]
            found, cells = formulas_in(download.get_data(), kind)
            files += 1
            holding += cells
            live.extend(f"{action} {document} {kind}: {cell[:80]}" for cell in found)
    assert not live, "\n".join(live[:40])
    assert holding > 0, "no export held a payload"
    print(f"{len(forms)} export forms, {files} files, {holding} cells holding a payload")
