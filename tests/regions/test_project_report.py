"""The project's report for its funder (seed 003's project was co-financed by the EFS),
its counts checked by hand against a small set of meetings and adoption records."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, date, datetime

import openpyxl
import pytest
from pypdf import PdfReader

from app.extensions import db
from app.meetings import services as meetings
from app.regions.matrix import UNACCEPTED
from app.regions.models import Adoption, AdoptionChange, Standard, ThematicBlock
from app.regions.report import Participants, project_report
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

OFFICIAL = {"official": True}


def _meeting(tenant, held_on: date, block, **fields) -> None:
    data = {"title": "Spotkanie partycypacyjne", "held_on": held_on, **fields}
    if block is not None:
        data["thematic_block_id"] = block.id
    with tenant_scope(tenant.id):
        meetings.publish(meetings.create(data))
        db.session.commit()


def _adoption(tenant, standard, *changes: tuple[str, str | None, date]) -> None:
    """A city's row with its history: (status, review, when)."""
    with tenant_scope(tenant.id):
        row = Adoption(standard_id=standard.id, status=changes[-1][0], review_status=changes[-1][1])
        row.changes = [
            AdoptionChange(
                status=status,
                review_status=review,
                created_at=datetime(on.year, on.month, on.day, 10, tzinfo=UTC),
            )
            for status, review, on in changes
        ]
        db.session.add(row)
        db.session.commit()


@pytest.fixture
def project(regions, tenants):
    """Two blocks, three standards; Leszno and Kalisz met, Piła did not, Konin met outside
    the project's blocks; Kalisz's third meeting came after the project."""
    project = factories.standards_project(regions["wielkopolskie"], standards=2)
    project.starts_on, project.ends_on = date(2013, 3, 1), date(2014, 12, 31)
    project.funding_source = "Europejski Fundusz Społeczny"
    second = ThematicBlock(number=2, title="Realizacja zadań publicznych")
    second.standards = [Standard(position=0, title="Standard małych grantów", version="1.1")]
    project.blocks.append(second)
    db.session.commit()
    first = project.blocks[0]
    leszno, kalisz = tenants["leszno"], tenants["kalisz"]
    factories.registration(leszno, factories.organisation("Stowarzyszenie „ECHO”"))
    _meeting(
        leszno,
        date(2013, 5, 10),
        first,
        attendees=[
            {"name": "Anna Szymańska", "organisation": "Urząd Miasta Leszna", **OFFICIAL},
            {"name": "Jan Nowak", "organisation": "Urząd Miasta Leszna", **OFFICIAL},
            {"name": "Ewa Kowalska", "organisation": "Stowarzyszenie „ECHO”"},
            {"name": "Piotr Wiśniewski", "organisation": ""},
        ],
    )
    _meeting(leszno, date(2013, 9, 20), second, people_count=12, officials_count=3)
    _meeting(
        kalisz,
        date(2014, 2, 1),
        first,
        attendees=[
            {"name": "Maria Wójcik", "organisation": "Klub Seniora"},  # not in the register
            {"name": "Tomasz Lis", "organisation": "Urząd Miasta Kalisza", **OFFICIAL},
        ],
    )
    _meeting(kalisz, date(2015, 3, 1), first, people_count=30)
    _meeting(tenants["konin"], date(2013, 6, 1), None, people_count=8)
    one, two = first.standards
    three = second.standards[0]
    _adoption(
        leszno, one, ("planned", None, date(2013, 4, 1)), ("adopted", "accepted", date(2013, 10, 1))
    )
    _adoption(leszno, two, ("in_progress", "pending", date(2013, 11, 1)))
    _adoption(kalisz, one, ("adopted", "accepted", date(2014, 6, 1)))
    _adoption(kalisz, three, ("not_applicable", "accepted", date(2013, 6, 1)))
    return project


def _by_slug(rows):
    return {row.city.slug: row for row in rows}


def test_meetings_per_city_and_block_with_participants_by_sector(project):
    report = project_report(project, date(2013, 3, 1), date(2014, 12, 31))
    first, second = (b.id for b in project.blocks)
    cities = _by_slug(report.cities)

    assert cities["leszno"].by_block == {first: 1, second: 1}
    assert cities["leszno"].participants == Participants(offices=5, ngos=1, others=1, unlisted=12)
    assert cities["kalisz"].by_block == {first: 1, second: 0}, "the 2015 meeting is after"
    assert cities["kalisz"].participants == Participants(offices=1, ngos=0, others=1)
    assert cities["pila"].meetings == 0 and cities["pila"].participants.total == 0
    assert cities["konin"].meetings == 0, "a meeting of no block is not the project's"
    assert report.block_participants[first] == Participants(offices=3, ngos=1, others=2)
    assert report.block_participants[second] == Participants(offices=3, unlisted=12)
    assert [m.held_on for m in report.meetings] == [
        date(2013, 5, 10),
        date(2013, 9, 20),
        date(2014, 2, 1),
    ]


def test_a_shorter_period_counts_only_its_meetings_and_the_adoption_reached_by_its_end(project):
    report = project_report(project, date(2013, 1, 1), date(2013, 12, 31))
    cities = _by_slug(report.cities)
    adoption = _by_slug(report.adoption)

    assert cities["kalisz"].meetings == 0
    assert cities["leszno"].meetings == 2
    assert adoption["leszno"].statuses["adopted"] == 1
    assert adoption["leszno"].statuses[UNACCEPTED] == 1, "a declaration awaiting review"
    assert adoption["leszno"].statuses["not_started"] == 1
    assert adoption["leszno"].share == pytest.approx(1 / 3)
    assert adoption["kalisz"].statuses["adopted"] == 0, "adopted only in June 2014"
    assert adoption["kalisz"].statuses["not_applicable"] == 1
    assert adoption["kalisz"].share == 0


def test_adoption_reached_by_the_end_of_the_project(project):
    adoption = _by_slug(project_report(project, date(2013, 3, 1), date(2014, 12, 31)).adoption)

    assert adoption["kalisz"].statuses["adopted"] == 1
    assert adoption["kalisz"].share == pytest.approx(1 / 2), "one of the two that apply"
    assert adoption["pila"].statuses["not_started"] == 3
    assert adoption["pila"].share == 0


@pytest.fixture
def coordinator(client, make_user):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")


def _url(project) -> str:
    return f"/regions/wielkopolskie/projects/{project.id}/report"


def _download(client, project, data: dict) -> bytes:
    response = post_form(client, _url(project), data)
    assert response.status_code == 302, response.get_data(as_text=True)
    status = client.get(response.location + "/status.json").json
    assert status["status"] == "done", status
    return client.get(response.location + "/download").get_data()


def test_the_form_offers_the_projects_whole_duration(client, project, coordinator):
    page = client.get(_url(project)).get_data(as_text=True)

    assert 'value="2013-03-01"' in page and 'value="2014-12-31"' in page
    assert _url(project) in client.get(f"/regions/wielkopolskie/projects/{project.id}/").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2013-01-01", "2013-12-31", "Okres nie może zaczynać się przed projektem (2013-03-01)."),
        ("2013-03-01", "2015-01-31", "Okres nie może kończyć się po projekcie (2014-12-31)."),
        ("2014-05-01", "2013-05-01", "Okres nie może kończyć się, zanim się zacznie."),
        ("2013-13-01", "2014-05-01", "Nieprawidłowa data"),
    ],
)
def test_a_period_outside_the_project_or_reversed_is_refused(
    client, project, coordinator, first, last, message
):
    response = post_form(
        client, _url(project), {"first": first, "last": last, "file_format": "pdf"}
    )

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_the_pdf_renders_with_the_counts_and_the_rule(client, project, coordinator):
    pdf = _download(
        client, project, {"first": "2013-03-01", "last": "2014-12-31", "file_format": "pdf"}
    )
    for number in range(1, len(PdfReader(io.BytesIO(pdf)).pages) + 1):
        image = subprocess.run(
            ["pdftoppm", "-r", "20", "-f", str(number), "-l", str(number), "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout
        assert image.startswith(b"P6"), f"page {number} renders"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.replace("\xa0", " ").split())
    assert "Wielkopolska działa razem" in text
    assert "Europejski Fundusz Społeczny" in text
    assert "Standard małych grantów" in text and "1.1" in text
    assert "organizacji z rejestru" in text, "the sector rule is stated"


def test_the_spreadsheet_keeps_numbers_as_numbers(client, project, coordinator):
    data = _download(
        client, project, {"first": "2013-03-01", "last": "2014-12-31", "file_format": "xlsx"}
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    by_city = book["Spotkania w miastach"]
    rows = {row[0]: row for row in by_city.iter_rows(min_row=2, values_only=True)}
    # city, block I, block II, meetings, offices, NGOs, others, not listed, participants
    assert rows["Leszno"][1:] == (1, 1, 2, 5, 1, 1, 12, 19)
    assert rows["Piła"][1:] == (0, 0, 0, 0, 0, 0, 0, 0)
    adoption = {row[0]: row for row in book["Wdrożenie w miastach"].iter_rows(values_only=True)}
    assert adoption["Kalisz"][-1] == pytest.approx(0.5)


def test_a_citys_staff_may_not_and_another_regions_coordinator_finds_nothing(
    client, project, make_user
):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    log_in(client, "a.szymanska@leszno.pl")
    assert client.get(_url(project)).status_code == 403
    post_form(client, "/logout")
    log_in(client, "koordynator@pomorskie.pl")
    other_region = f"/regions/pomorskie/projects/{project.id}/report"
    assert client.get(other_region).status_code == 404
    assert post_form(client, other_region, {"first": "2013-03-01"}).status_code == 404


def test_the_word_processor_formats_come_from_the_same_document(client, project, coordinator):
    import zipfile

    import docx

    period = {"first": "2013-03-01", "last": "2014-12-31"}
    word = docx.Document(io.BytesIO(_download(client, project, {**period, "file_format": "docx"})))
    by_city = next(t for t in word.tables if t.rows[0].cells[0].text == "Miasto")
    assert [c.text for c in by_city.rows[3].cells][:4] == ["Leszno", "1", "1", "2"]
    odt = _download(client, project, {**period, "file_format": "odt"})
    content = zipfile.ZipFile(io.BytesIO(odt)).read("content.xml").decode()
    assert "Standard małych grantów" in content
