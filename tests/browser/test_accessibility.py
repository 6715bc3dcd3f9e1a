"""WCAG 2.1 AA: axe-core finds no serious or critical violation on the main pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PUBLIC_PAGES = [
    "/",
    "/login",
    "/password/forgot",
    "/leszno/",
    "/regions/wielkopolskie/",
    "/nie-ma-takiej-strony/",
]
ADMIN_PAGES = [
    "/my-cities",
    "/account",
    "/leszno/members",
    "/leszno/audit",
    "/leszno/organisations",
    "/leszno/organisations/import",
    "/leszno/programmes",
    "/leszno/programmes/new",
]


def serious_violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_public_pages_have_no_serious_violations(page, live_server):
    for path in PUBLIC_PAGES:
        page.goto(live_server + path)
        assert serious_violations(page) == [], path


def test_staff_pages_have_no_serious_violations(page, live_server, make_user, tenants):
    make_user(
        "a.szymanska@leszno.pl",
        name="Anna Szymańska",
        leszno="admin",
        kalisz="staff",
        coordinator_of="wielkopolskie",
    )
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill("a.szymanska@leszno.pl")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    from tests import factories

    programme = factories.programme(tenants["leszno"], stage="consultation", complete=True)
    programme_pages = [
        f"/leszno/programmes/{programme.id}{suffix}"
        for suffix in (
            "",
            "/edit",
            "/schedule",
            "/proposals",
            "/consultation",
            "/report",
            "/opinions",
            "/versions",
            "/consultation-report",
        )
    ]
    meeting = factories.meeting(tenants["leszno"])
    meeting_pages = [
        f"/leszno/meetings/{meeting}",
        f"/leszno/meetings/{meeting}/edit",
        "/leszno/meetings",
        "/leszno/meetings/new",
        "/leszno/decisions",
    ]
    project = factories.standards_project(tenants["leszno"].region)
    factories.adoption(
        tenants["leszno"], project.blocks[0].standards[0], "adopted", review="pending"
    )
    region_pages = [
        "/regions/wielkopolskie/",
        f"/regions/wielkopolskie/projects/{project.id}/",
        f"/regions/wielkopolskie/projects/{project.id}/adoption",
        f"/regions/wielkopolskie/projects/{project.id}/reviews",
        "/regions/wielkopolskie/benchmark",
        "/regions/wielkopolskie/projects/new",
        f"/regions/wielkopolskie/projects/{project.id}/edit",
        f"/regions/wielkopolskie/projects/{project.id}/standards/new",
        "/leszno/standards",
        f"/leszno/standards/{project.blocks[0].standards[0].id}",
    ]
    for path in [*ADMIN_PAGES, *programme_pages, *meeting_pages, *region_pages]:
        page.goto(live_server + path)
        assert serious_violations(page) == [], path
