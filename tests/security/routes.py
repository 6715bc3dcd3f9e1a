"""What the attacker's suite reads from the code: every GET route of the URL map with the
demo's record for each parameter, and the query parameters each page's own links and
search forms send."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import lxml.html
from werkzeug.exceptions import HTTPException

from tests.sweeps import url_of

# Routes that end the visit, or are files rather than pages.
NOT_VISITED = {"accounts.logout", "static"}


def get_rules(app) -> list:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in NOT_VISITED
        ),
        key=lambda rule: rule.rule,
    )


def demo_url(rule, demo: dict) -> str | None:
    """The rule's URL for the demo's records, None when the demo has no record it names."""
    values = {"region_slug": "wielkopolskie", **demo}
    if any(values.get(name) is None for name in rule.arguments - {"tenant_slug"}):
        return None
    return url_of(rule, values)


def query_parameters(app, pages: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Endpoint → the names of the query parameters that the pages' links and GET forms
    send to it: what a person can put in the address bar of that page, read from the
    templates rather than listed by hand."""
    adapter = app.url_map.bind("localhost")
    found: dict[str, set[str]] = {}
    for url, page in pages:
        document = lxml.html.fromstring(page)
        for _element, attribute, target, _position in document.iterlinks():
            if attribute == "href" and "?" in target:
                _add(
                    found, adapter, target, {name for name, _ in parse_qsl(urlsplit(target).query)}
                )
        for form in document.forms:
            if (form.get("method") or "get").lower() == "get":
                names = {field.get("name") for field in form.inputs if field.get("name")}
                _add(found, adapter, form.get("action") or url, names)
    return found


def _add(found: dict, adapter, target: str, names: set[str]) -> None:
    parts = urlsplit(target)
    if parts.netloc or not names:
        return
    try:
        endpoint, _ = adapter.match(parts.path, method="GET")
    except HTTPException:
        return
    found.setdefault(endpoint, set()).update(names)
