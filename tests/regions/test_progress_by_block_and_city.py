"""Adoption progress per thematic block and per city, on the time axis of the whole region,
checked by hand on seed 003's project (2013–2014): block I has two standards, block II one.

Leszno: standard 1 adopted (accepted) in May 2013, standard 3 (block II) in March 2014.
Kalisz: standard 2 declared in June 2013, accepted in September 2013; standard 1 adopted in
        November 2013 and withdrawn (planned again) in February 2014.
Piła:   nothing recorded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html
import pytest

from app.extensions import db
from app.regions.matrix import ProgressPoint, adoption_matrix, city_progress
from app.regions.models import Adoption, AdoptionChange, Standard, ThematicBlock
from app.tenancy.context import tenant_scope
from app.tenancy.cross_tenant import reading_region
from tests import factories
from tests.conftest import log_in


def _adoption(tenant, standard, *changes: tuple[str, str | None, date]) -> None:
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
    project = factories.standards_project(regions["wielkopolskie"], standards=2)
    second = ThematicBlock(number=2, title="Realizacja zadań publicznych")
    second.standards = [Standard(position=0, title="Standard małych grantów")]
    project.blocks.append(second)
    db.session.commit()
    one, two = project.blocks[0].standards
    leszno, kalisz = tenants["leszno"], tenants["kalisz"]
    _adoption(leszno, one, ("adopted", "accepted", date(2013, 5, 20)))
    _adoption(leszno, second.standards[0], ("adopted", "accepted", date(2014, 3, 3)))
    _adoption(
        kalisz,
        two,
        ("adopted", "pending", date(2013, 6, 4)),
        ("adopted", "accepted", date(2013, 9, 12)),
    )
    _adoption(
        kalisz,
        one,
        ("adopted", "accepted", date(2013, 11, 5)),
        ("planned", "accepted", date(2014, 2, 10)),
    )
    return project


def months(points: list[ProgressPoint]) -> list[tuple[str, int]]:
    return [(p.month.strftime("%Y-%m"), p.adopted) for p in points]


def test_each_block_counts_its_own_standards(project):
    first, second = project.blocks
    matrix = adoption_matrix(project)

    assert months(matrix.block_progress[first.id]) == [
        ("2013-05", 1),
        ("2013-06", 1),  # Kalisz's declaration, not yet accepted
        ("2013-09", 2),
        ("2013-11", 3),
        ("2014-02", 2),  # withdrawn
    ]
    assert months(matrix.block_progress[second.id]) == [("2014-03", 1)]
    assert matrix.progress[-1].adopted == 3  # the blocks together


def test_a_city_counts_its_own_adoption(project, tenants):
    with reading_region(project.region, purpose="test"):
        kalisz = city_progress(project, tenants["kalisz"].id)
        pila = city_progress(project, tenants["pila"].id)

    assert months(kalisz) == [("2013-06", 0), ("2013-09", 1), ("2013-11", 2), ("2014-02", 1)]
    assert pila == []


@pytest.fixture
def coordinator(client, make_user, project):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")
    return client


def test_the_matrix_draws_a_chart_for_each_block_on_one_time_axis(coordinator, project):
    page = coordinator.get(f"/regions/wielkopolskie/projects/{project.id}/adoption")
    document = lxml.html.fromstring(page.get_data(as_text=True))

    charts = document.xpath("//figure[@class='timeline']/svg")
    assert len(charts) == 3  # the region's, then blocks I and II
    region, first, second = charts
    assert "Standards of block I adopted" in first.xpath("string(title)")
    # the same time scale: the first year tick where the region's is
    assert first.xpath("text")[-1].text == region.xpath("text")[-1].text
    assert [t.text for t in second.xpath("text[@text-anchor='end']")] == ["0", "1"]
    second_table = second.xpath("ancestor::section//details//tbody/tr")
    assert [r.xpath("string(td[2])") for r in second_table] == ["1"]


def test_a_citys_row_shows_the_citys_progress(coordinator, project, tenants):
    one = project.blocks[0].standards[0]
    base = f"/regions/wielkopolskie/projects/{project.id}/adoption"

    kalisz = coordinator.get(f"{base}/kalisz/{one.id}").get_data(as_text=True)
    pila = coordinator.get(f"{base}/pila/{one.id}").get_data(as_text=True)

    figures = lxml.html.fromstring(kalisz).xpath("//details//tbody/tr/td[2]/text()")
    assert figures == ["0", "1", "2", "1"]
    assert "Standards of the project adopted by Kalisz" in kalisz
    assert "No standard of the project adopted yet." in pila
