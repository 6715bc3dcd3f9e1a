"""Private answers are kept out of every cache; public pages keep caching. Every GET route
of the URL map, as each kind of person."""

from __future__ import annotations

from tests.security.routes import demo_url, get_rules
from tests.sweeps import demo_values


def test_every_answer_to_a_person_or_a_token_is_no_store_and_public_pages_are_not(
    app, people, tokens, owner
):
    demo = demo_values(owner)
    urls = [url for rule in get_rules(app) if (url := demo_url(rule, demo))]
    cached, public = [], 0
    for url in urls:
        for who in ("anonymous", "NGO of the city", "viewer", "coordinator"):
            client = people[who]
            headers = {"Authorization": f"Bearer {tokens[who]}"} if tokens[who] else {}
            answer = client.get(url, headers=headers if url.startswith("/api/") else {})
            no_store = "no-store" in answer.headers.get("Cache-Control", "")
            if who == "anonymous":
                public += answer.status_code == 200
                if no_store:
                    cached.append(f"anonymous: {url} is no-store")
            elif not no_store:
                cached.append(f"{who}: {url} → {answer.status_code} without no-store")
    assert not cached, "\n".join(cached[:40])
    assert public >= 20, public


def test_public_pages_are_shared_with_a_validator_and_never_what_a_cookie_was_sent_for(
    app, people, owner
):
    """Every GET route of the URL map asked with no cookie at all, as nginx or a CDN would
    forward it: no answer that sets a cookie is shared; a page shared is one anyone reads,
    varies by cookie and language, and answers its ETag with 304; asked logged in or with a
    cookie it is never shared."""
    demo = demo_values(owner)
    urls = [url for rule in get_rules(app) if (url := demo_url(rule, demo))]
    pages, wrong = set(), []
    for url in urls:
        answer = app.test_client().get(url)  # a fresh client: no cookie
        shared = "public" in answer.headers.get("Cache-Control", "")
        if shared and "Set-Cookie" in answer.headers:
            wrong.append(f"{url} shared with a cookie: {answer.headers['Set-Cookie']}")
        if not shared or answer.mimetype != "text/html":
            continue
        pages.add(url)
        etag = answer.headers.get("ETag")
        if not etag or not {"Cookie", "Accept-Language"} <= set(answer.vary):
            wrong.append(f"{url} shared: {dict(answer.headers)}")
            continue
        again = app.test_client().get(url, headers={"If-None-Match": etag})
        if again.status_code != 304:
            wrong.append(f"{url}: {again.status_code} to its own ETag")
        for who, client in (("logged in", people["staff"]), ("with a cookie", _with_cookie(app))):
            answer = client.get(url, headers={"If-None-Match": etag})
            if "public" in answer.headers.get("Cache-Control", "") or answer.status_code == 304:
                wrong.append(f"{url} {who}: {answer.headers.get('Cache-Control')}")
    assert not wrong, "\n".join(wrong[:40])
    # what a visitor reads first is among them: the landing page, a city's home, its
    # directory and organisations, its programmes, its minutes
    assert {"/", "/leszno/"} <= pages, pages
    for section in ("organisations", "programmes", "meetings"):
        assert {u for u in pages if u.startswith(f"/leszno/{section}/")}, (section, pages)


def test_an_answer_that_sets_a_cookie_is_never_shared(app, demo):
    login_form = app.test_client().get("/login")  # its form's CSRF token is in the session
    assert "Set-Cookie" in login_form.headers
    assert login_form.headers["Cache-Control"] == "private, no-cache"


def _with_cookie(app):
    """An anonymous visitor whose browser holds a session (a form's token, a message)."""
    client = app.test_client()
    client.get("/login")
    return client
