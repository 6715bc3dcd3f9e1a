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
