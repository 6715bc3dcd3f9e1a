"""Every page of the URL map, on the demo, as the first person who may see it: no horizontal
scrolling of the page at 320, 390 or 1280 px (WCAG 1.4.10 reflow; every table scrolls inside
its own labelled region, whose caption is never cut off), no serious axe violation at 320 px,
and a title of words, not markup. Pages are found from the URL map, so a new page is checked
without anyone listing it."""

from __future__ import annotations

import pytest
from werkzeug.routing import AnyConverter

from app.demo.loader import DEMO_PASSWORD
from tests.browser.test_accessibility import serious_violations
from tests.conftest import PASSWORD, PEOPLE
from tests.sweeps import demo_values, url_of

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 1280)
# Who is tried for each page, in order: the first to whom it answers an HTML page.
VISITORS = ("admin", "coordinator", "operator", "NGO of the city", "anonymous")
NOT_PAGES = {"static", "accounts.logout"}
# Tables not inside a region that scrolls and is named by an element of the page.
UNREGIONED_TABLES = """() => [...document.querySelectorAll('table')].filter((table) => {
  const region = table.closest('.table-scroll[role=region][tabindex="0"]');
  const label = region && document.getElementById(region.getAttribute('aria-labelledby'));
  return !(label && label.textContent.trim());
}).map((table) => table.outerHTML.slice(0, 80))"""
# Captions cut off by the edge of the region their table scrolls in: their words are lost.
CLIPPED_CAPTIONS = """() => [...document.querySelectorAll('.table-scroll caption')]
.filter((caption) => {
  const region = caption.closest('.table-scroll').getBoundingClientRect();
  return caption.getBoundingClientRect().right > region.right + 1;
}).map((caption) => caption.textContent.trim().slice(0, 60))"""


def _pages(app, demo: dict) -> list[str]:
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if rule.rule.startswith(("/api/", "/metrics", "/healthz", "/readyz")):
            continue
        values = {"region_slug": "wielkopolskie"}
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                values[name] = sorted(converter.items)[0]
            elif name not in ("tenant_slug", "region_slug"):
                values[name] = demo.get(name)
        if None in values.values():
            continue  # the demo has no such record
        urls.add(url_of(rule, values))
    return sorted(urls)


def _html_pages_by_visitor(people, urls: list[str]) -> dict[str, list[str]]:
    """Each page once, for the first visitor it answers an HTML page to."""
    shown: dict[str, list[str]] = {who: [] for who in VISITORS}
    for url in urls:
        for who in VISITORS:
            answer = people[who].get(url)
            if answer.status_code == 200 and answer.mimetype == "text/html":
                shown[who].append(url)
                break
    return shown


def test_every_page_reflows_and_has_no_serious_violation(app, people, owner, chromium, live_server):
    pages = _html_pages_by_visitor(people, _pages(app, demo_values(owner)))
    overflowing, violations, titled, visited = [], [], [], 0
    for who, urls in pages.items():
        context = chromium.new_context(locale="pl-PL")
        page = context.new_page()
        page.set_default_timeout(15_000)
        if PEOPLE[who]:
            page.goto(live_server + "/login")
            page.get_by_label("E-mail").fill(PEOPLE[who])
            page.get_by_label("Hasło").fill(DEMO_PASSWORD if who != "viewer" else PASSWORD)
            page.get_by_role("button", name="Zaloguj się").click()
        for url in urls:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                page.goto(live_server + url)
                visited += 1
                if width == WIDTHS[0] and ("<" in page.title() or not page.title().strip()):
                    titled.append(f"{url}: the title reads {page.title()[:80]!r}")
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > width:
                    overflowing.append(f"{url} at {width}px is {wide}px wide ({who})")
                overflowing += [
                    f"{url} at {width}px cuts off the caption {caption!r} ({who})"
                    for caption in page.evaluate(CLIPPED_CAPTIONS)
                ]
                if width == WIDTHS[0]:
                    violations += [f"{url}: {v}" for v in serious_violations(page)]
                    violations += [
                        f"{url}: a table outside a labelled scrolling region: {table}"
                        for table in page.evaluate(UNREGIONED_TABLES)
                    ]
        context.close()
    assert not overflowing, "\n".join(overflowing)
    assert not violations, "\n".join(violations)
    assert not titled, "\n".join(titled)  # a tab or a screen reader announces the title
    assert visited >= 3 * 60, visited
