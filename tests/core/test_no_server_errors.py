"""Nothing answers 5xx: every route of the URL map, visited by every kind of person with the
demo's records, with ids that do not exist or do not fit, and every form submitted empty
and with boundary values. Routes and forms are read from the code, so a new one is swept
without anyone remembering it."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from werkzeug.routing import AnyConverter, IntegerConverter

from tests.conftest import post_form
from tests.sweeps import as_a_browser_submits, demo_values, forms_posting_to, url_of

# Routes that end the visit or that only a program calls with a body of its own.
NOT_VISITED = {"accounts.logout", "static"}
# Values that must be refused politely wherever a parameter or a field takes them.
OUT_OF_RANGE_ID = 2**70
HOSTILE_TEXT = "zażółć\x00<script>alert(1)</script>" + "ą" * 5000


def _rules(app, method: str) -> list:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if method in rule.methods and rule.endpoint not in NOT_VISITED
        ),
        key=lambda rule: rule.rule,
    )


def _values(rule, demo: dict, *, hostile: bool) -> dict:
    values = {}
    for name, converter in rule._converters.items():
        if name in ("tenant_slug", "region_slug"):
            continue
        integer = isinstance(converter, IntegerConverter)
        if isinstance(converter, AnyConverter):  # no other value can be built into the URL
            values[name] = sorted(converter.items)[0]
        elif hostile:
            values[name] = OUT_OF_RANGE_ID if integer else "x\x00\u202e" + "y" * 300
        else:
            values[name] = demo.get(name) or (999_999 if integer else "nieznany")
    return values


def test_every_page_answers_every_person_without_a_server_error(app, people, owner):
    demo = demo_values(owner)
    failures, visited = [], 0
    for rule in _rules(app, "GET"):
        for hostile in (False, True):
            if hostile and not rule.arguments - {"tenant_slug", "region_slug"}:
                continue
            url = url_of(
                rule, {"region_slug": "wielkopolskie", **_values(rule, demo, hostile=hostile)}
            )
            for who, client in people.items():
                status = client.get(url).status_code
                visited += 1
                if status >= 500:
                    failures.append(f"{who}: GET {url[:120]} → {status}")
    assert not failures, "\n".join(failures)
    assert visited > 500, visited


def _boundary_variants(values: MultiDict) -> dict[str, MultiDict]:
    """The form as the person left it, emptied, and with every field at a boundary: dates far
    in the past or future and every range a single day, numbers huge or negative, text long
    and holding what no text should."""
    variants = {"empty": MultiDict({"csrf_token": values.get("csrf_token", "")})}
    for name, date, number, text in (
        ("far past, one-day ranges", "0001-01-01", "-1", ""),
        ("far future, huge and long", "9999-12-31", "99999999999999999999999", HOSTILE_TEXT),
    ):
        variant = MultiDict()
        for key, value in values.items(multi=True):
            if key == "csrf_token" or key.endswith("version") or key.endswith("-id"):
                variant.add(key, value)
            elif _looks_like_date(value) or "date" in key or key.endswith(("_on", "_from", "_to")):
                variant.add(key, date)
            elif value.lstrip("-").replace(".", "", 1).isdigit():
                variant.add(key, number)
            else:
                variant.add(key, text or value)
        variants[name] = variant
    return variants


def _looks_like_date(value: str) -> bool:
    return len(value) == 10 and value[4] == "-" and value[7] == "-"


def test_every_form_with_bad_input_answers_without_a_server_error(app, people, owner):
    """As the city's admin and the region's coordinator, each form of each page is sent
    empty and at the boundaries, twice (the second time a duplicate of the first)."""
    demo = demo_values(owner)
    failures, sent = [], 0
    for rule in _rules(app, "GET"):
        if rule.rule.startswith("/api/") or rule.arguments - {"tenant_slug", "region_slug"} - set(
            demo
        ):
            continue
        person = "coordinator" if "region_slug" in rule.arguments else "admin"
        client = people[person]
        url = url_of(rule, {"region_slug": "wielkopolskie", **_values(rule, demo, hostile=False)})
        page = client.get(url)
        if page.status_code != 200 or "html" not in page.content_type:
            continue
        for form in forms_posting_to(page.get_data(as_text=True), url):
            if "logout" in (form.get("action") or ""):
                continue
            for variant, data in _boundary_variants(as_a_browser_submits(form)).items():
                for _ in range(2):
                    status = client.post(url, data=data).status_code
                    sent += 1
                    if status >= 500:
                        failures.append(f"{person}: POST {url} ({variant}) → {status}")
    assert not failures, "\n".join(failures)
    assert sent > 50, sent


def test_every_action_sent_empty_answers_without_a_server_error(app, people, owner):
    """Buttons that act (publish, answer, forward, decide…) pressed with nothing filled in."""
    demo = demo_values(owner)
    failures = []
    for rule in _rules(app, "POST"):
        if rule.rule.startswith("/api/"):
            continue
        url = url_of(rule, {"region_slug": "wielkopolskie", **_values(rule, demo, hostile=False)})
        for who in ("anonymous", "NGO of the city", "viewer", "staff", "admin", "coordinator"):
            status = post_form(people[who], url).status_code
            if status >= 500:
                failures.append(f"{who}: POST {url} → {status}")
    assert not failures, "\n".join(failures)
