"""The administrator's journey in a browser: add the BIP's address, copy the secret, send a
test event that the BIP receives signed; every page without a serious axe violation and
without sideways scrolling at 320, 390 and 1280 px."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import serious_violations
from tests.conftest import PASSWORD
from tests.webhooks.receiver import serve

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 1280)


@pytest.fixture
def receiver():
    """Leszno's BIP, on loopback."""
    found, server = serve()
    yield found
    server.shutdown()
    server.server_close()


def _look(page, name: str, folder) -> None:
    # A link's click returns once the next page has begun; it is measured as shown, styled.
    page.wait_for_load_state("load")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways at {width} px"
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    assert serious_violations(page) == [], name


def test_the_admin_subscribes_the_bip_and_sends_it_a_test_event(
    page, live_server, make_user, receiver, tmp_path
):
    make_user("a.szymanska@leszno.pl", name="Anna Szymańska", leszno="admin")
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill("a.szymanska@leszno.pl")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()

    page.get_by_role("navigation", name="Menu samorządu").get_by_role(
        "link", name="Webhooki"
    ).click()
    page.get_by_role("button", name="Dodaj subskrypcję").click()  # nothing chosen yet
    assert page.get_by_text("Wybierz co najmniej jedno zdarzenie.").is_visible()
    _look(page, "index-errors", tmp_path)
    page.get_by_label("Adres, który odbiera zdarzenia").fill(receiver.url)
    page.get_by_label("Co to jest").fill("BIP Urzędu Miasta Leszna")
    page.get_by_label("Opublikowano lub poprawiono protokół spotkania").check()
    page.get_by_label("Organizacja zgłosiła propozycję do programu").check()
    page.get_by_role("button", name="Dodaj subskrypcję").click()

    secret = page.locator("code.secret").inner_text()
    assert secret.startswith("whsec_")
    _look(page, "secret", tmp_path)
    page.get_by_role("link", name="Przejdź do subskrypcji").click()
    page.get_by_role("button", name="Wyślij zdarzenie testowe").click()
    assert page.get_by_text("doręczono").first.is_visible()
    _look(page, "show", tmp_path)
    [payload] = receiver.payloads(secret)
    assert payload["type"] == "webhook.test"

    page.get_by_role("link", name="Wszystkie webhooki").click()
    _look(page, "index", tmp_path)
