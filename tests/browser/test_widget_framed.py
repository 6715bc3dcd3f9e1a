"""The widget as a city's website shows it: framed by the city's own site, refused by any
other; reached by the keyboard; reflowing at 320 px. Screenshots land in pytest's tmp dir."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import serious_violations
from tests.feeds.conftest import meeting, programme_at, soon

pytestmark = pytest.mark.browser

CITY_SITE = "https://www.leszno.pl/"
STRANGER = "https://example.org/"
# Razem as the city's websites reach it: over https (a public page cannot frame a loopback
# address), answered by the live server with its own headers.
RAZEM = "https://razem.example.pl"


def _razem_over_https(context, live_server: str) -> None:
    def forward(route) -> None:
        route.fulfill(response=route.fetch(url=route.request.url.replace(RAZEM, live_server)))

    context.route(f"{RAZEM}/**", forward)


def _site_framing(context, site: str, widget: str) -> None:
    html = (
        "<!doctype html><html lang='pl'><head><title>Strona miasta</title></head><body>"
        "<h1>Urząd Miasta Leszna</h1>"
        f"<iframe src='{widget}' title='Weź udział: Leszno' width='360' height='520'></iframe>"
        "</body></html>"
    )
    page_type = "text/html; charset=utf-8"
    context.route(site, lambda route: route.fulfill(body=html, content_type=page_type))


def _city_with_things_to_do(tenants) -> None:
    meeting(
        tenants["leszno"], "Warsztaty z organizacjami", soon(5), registration_open=True, capacity=20
    )
    programme_at(
        tenants["leszno"],
        "consultation",
        ["consultation"],
        consultation_from=soon(-2),
        consultation_to=soon(12),
    )


def test_the_city_site_frames_the_widget_and_a_stranger_cannot(
    chromium, live_server, tenants, tmp_path
):
    _city_with_things_to_do(tenants)
    context = chromium.new_context(locale="pl-PL", viewport={"width": 1280, "height": 720})
    _razem_over_https(context, live_server)
    widget = f"{RAZEM}/leszno/widget?lang=pl"
    _site_framing(context, CITY_SITE, widget)
    _site_framing(context, STRANGER, widget)
    page = context.new_page()

    page.goto(CITY_SITE)
    page.screenshot(path=tmp_path / "framed-by-city-site.png")
    framed = page.frame_locator("iframe")
    expect(framed.get_by_role("heading", name="Najbliższe spotkania")).to_be_visible()
    page.keyboard.press("Tab")
    focused = page.frames[1].evaluate("document.activeElement.textContent")
    assert "(nowa karta)" in focused
    page.screenshot(path=tmp_path / "framed-by-city-site.png")

    page.goto(STRANGER)
    page.wait_for_load_state("load")
    assert framed.get_by_role("heading", name="Najbliższe spotkania").count() == 0
    page.screenshot(path=tmp_path / "refused-to-stranger.png")
    context.close()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_widget_reflows_with_no_serious_violation(
    chromium, live_server, tenants, tmp_path, width
):
    _city_with_things_to_do(tenants)
    context = chromium.new_context(locale="pl-PL", viewport={"width": width, "height": 720})
    page = context.new_page()
    page.goto(f"{live_server}/leszno/widget")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []
    page.screenshot(path=tmp_path / f"widget-{width}.png", full_page=True)
    context.close()
