"""The widget a city's own websites frame: its CSP names exactly that city's websites, every
other page keeps frame-ancestors 'none'; it lists only what is public and still to come."""

from __future__ import annotations

from datetime import date

from tests.conftest import log_in
from tests.feeds.conftest import meeting, programme_at, soon

LESZNO_SITES = "'self' https://bip.leszno.pl https://www.leszno.pl"


def _frame_ancestors(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    found = [d for d in policy.split("; ") if d.startswith("frame-ancestors ")]
    assert len(found) == 1, policy
    return found[0].removeprefix("frame-ancestors ")


def test_the_city_websites_may_frame_its_widget_and_nothing_else(client, tenants):
    widget = client.get("/leszno/widget")
    assert widget.status_code == 200
    assert _frame_ancestors(widget) == LESZNO_SITES
    assert "script-src 'self'" in widget.headers["Content-Security-Policy"]
    # X-Frame-Options cannot name two websites: it is left out rather than contradicting
    assert "X-Frame-Options" not in widget.headers

    # each city's widget names its own websites only; a city listing none, Razem alone
    assert _frame_ancestors(client.get("/kalisz/widget")) == "'self' https://www.kalisz.pl"
    assert _frame_ancestors(client.get("/zyrardow/widget")) == "'self'"
    for page in ("/leszno/", "/leszno/meetings", "/leszno/feeds/minutes.atom"):
        response = client.get(page)
        assert _frame_ancestors(response) == "'none'", page
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_widget_lists_public_upcoming_meetings_and_open_consultations(client, tenants):
    meeting(
        tenants["leszno"], "Warsztaty z organizacjami", soon(5), registration_open=True, capacity=20
    )
    meeting(tenants["leszno"], "Spotkanie robocze zespołu", soon(6), published=False)
    meeting(tenants["leszno"], "Spotkanie z lipca 2023", date(2023, 7, 13))
    meeting(tenants["kalisz"], "Spotkanie w Kaliszu", soon(5))
    programme_at(
        tenants["leszno"],
        "consultation",
        ["consultation"],
        consultation_from=soon(-2),
        consultation_to=soon(12),
    )
    programme_at(
        tenants["leszno"],
        "proposals_open",
        ["proposals_open"],
        year=2028,
        proposals_from=soon(-2),
        proposals_to=soon(12),
    )

    page = client.get("/leszno/widget?lang=pl").get_data(as_text=True)
    assert "Warsztaty z organizacjami" in page and "20 wolnych miejsc" in page
    assert "Projekt programu jest w konsultacjach społecznych" in page
    for hidden in ("Spotkanie robocze", "Spotkanie z lipca", "Kaliszu", "Zbierane są propozycje"):
        assert hidden not in page, hidden
    assert 'target="_blank"' in page and "(nowa karta)" in page
    assert '<html lang="pl">' in page


def test_the_widget_speaks_the_page_language(client, tenants):
    english = client.get("/leszno/widget?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Upcoming meetings" in english
    browser = client.get("/leszno/widget", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in browser
    polish = client.get("/leszno/widget?lang=pl", headers={"Accept-Language": "en"})
    assert "Najbliższe spotkania" in polish.get_data(as_text=True)
    assert "public" in polish.headers["Cache-Control"]


def test_the_widget_does_not_grow_with_the_city(client, tenants, count_queries):
    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/leszno/widget").status_code == 200
        return counter.count

    def grow(first: int, last: int) -> None:
        for number in range(first, last):
            meeting(tenants["leszno"], f"Warsztaty nr {number}", soon(number), capacity=20)
            programme_at(
                tenants["leszno"],
                "consultation",
                ["consultation"],
                year=2030 + number,
                consultation_from=soon(-2),
                consultation_to=soon(12),
            )

    grow(1, 3)
    small = queries()
    grow(3, 12)
    assert queries() == small


def test_the_embed_page_is_the_office_s(client, app, make_user, tenants):
    assert client.get("/leszno/embed").status_code in (302, 401)
    make_user("o.ngo@leszno.pl", leszno="viewer")
    log_in(client, "o.ngo@leszno.pl")
    assert client.get("/leszno/embed").status_code == 403
    make_user("a.szymanska@leszno.pl", leszno="admin")
    office = app.test_client()
    log_in(office, "a.szymanska@leszno.pl")
    page = office.get("/leszno/embed", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert '&lt;iframe src="http://localhost/leszno/widget"' in page
    assert "<code>https://bip.leszno.pl</code>" in page
    assert "Kod do wklejenia na stronę" in page
    assert 'href="/leszno/embed"' in office.get("/leszno/").get_data(as_text=True)
    assert 'href="/leszno/embed"' not in client.get("/leszno/").get_data(as_text=True)
