from __future__ import annotations

import pytest
import tablib
from playwright.sync_api import expect

from tests import factories
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_coordinator_filters_the_matrix_by_block_and_downloads_the_xlsx(
    page, live_server, make_user, regions, tenants
):
    from app.extensions import db
    from app.regions.models import Standard, StandardsProject, ThematicBlock

    project = StandardsProject(
        region=regions["wielkopolskie"],
        title="Wielkopolska działa razem",
        blocks=[
            ThematicBlock(
                number=1,
                title="Tworzenie polityk publicznych",
                standards=[Standard(title="Konsultacje aktów prawa miejscowego")],
            ),
            ThematicBlock(
                number=3,
                title="Infrastruktura współpracy",
                standards=[Standard(title="Centrum organizacji pozarządowych")],
            ),
        ],
    )
    db.session.add(project)
    db.session.commit()
    factories.adoption(tenants["pila"], project.blocks[1].standards[0], "adopted")
    make_user("p.zielinski@umww.pl", name="Piotr Zieliński", coordinator_of="wielkopolskie")

    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill("p.zielinski@umww.pl")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.goto(live_server + "/regions/wielkopolskie/")
    page.get_by_role("link", name="Wielkopolska działa razem").click()
    page.get_by_role("link", name="Wdrożenie w miastach").click()

    page.get_by_label("Blok tematyczny").select_option(label="III. Infrastruktura współpracy")
    page.get_by_role("button", name="Filtruj").click()
    matrix = page.get_by_role(
        "table", name="Miasta × standardy projektu według bloków tematycznych"
    )
    expect(matrix).to_contain_text("Centrum organizacji pozarządowych")
    expect(matrix).not_to_contain_text("Konsultacje aktów prawa miejscowego")

    page.get_by_label("Format").select_option("xlsx")
    page.get_by_role("button", name="Eksportuj").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Pobierz plik").click()
    sheet = tablib.Dataset().load(download_info.value.path().read_bytes(), format="xlsx")
    assert sheet.headers == ["Miasto", "Centrum organizacji pozarządowych", "Odsetek uchwalonych"]
    assert ["Piła", "uchwalony", 1] in [list(row) for row in sheet]  # a share: 1 shown as 100%
