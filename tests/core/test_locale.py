from tests.conftest import log_in, post_form


def _lang(response) -> str:
    return response.get_data(as_text=True).split('<html lang="', 1)[1][:2]


def test_polish_by_default(client):
    assert _lang(client.get("/")) == "pl"


def test_browser_language_is_used(client):
    assert _lang(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})) == "en"
    assert _lang(client.get("/", headers={"Accept-Language": "de-DE"})) == "pl"


def test_explicit_switch_beats_the_browser(client):
    post_form(client, "/language", {"locale": "en", "next": "/"})
    assert _lang(client.get("/", headers={"Accept-Language": "pl"})) == "en"


def test_users_preference_beats_everything_and_is_kept_by_the_switch(client, make_user):
    make_user("h.hendrysiak@echo.org.pl", locale="en", leszno="ngo")
    log_in(client, "h.hendrysiak@echo.org.pl")
    assert _lang(client.get("/leszno/", headers={"Accept-Language": "pl"})) == "en"
    post_form(client, "/language", {"locale": "pl", "next": "/leszno/"})
    assert _lang(client.get("/leszno/", headers={"Accept-Language": "en"})) == "pl"


def test_a_visitor_switches_from_a_shared_page_and_a_person_only_with_their_token(
    client, make_user
):
    # the page a visitor without a cookie reads may be shared: it holds no session's token
    page = client.get("/leszno/").get_data(as_text=True)
    assert "csrf" not in page
    switched = client.post("/language", data={"locale": "en", "next": "/leszno/"})
    assert switched.status_code == 302
    assert _lang(client.get("/leszno/", headers={"Accept-Language": "pl"})) == "en"

    make_user("h.hendrysiak@echo.org.pl", locale="en", leszno="ngo")
    log_in(client, "h.hendrysiak@echo.org.pl")
    refused = client.post("/language", data={"locale": "pl", "next": "/leszno/"})
    assert refused.status_code == 400
    assert _lang(client.get("/leszno/", headers={"Accept-Language": "pl"})) == "en"


def test_switch_never_redirects_off_site(client):
    response = post_form(client, "/language", {"locale": "en", "next": "https://evil.example/"})
    assert response.location == "/"


def test_numbers_follow_polish_conventions(client):
    page = client.get("/krakow/", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert "804\xa0237" in page  # Polish thousands separator: a non-breaking space


def test_dates_and_money_in_polish_conventions(app):
    from datetime import date

    from flask_babel import format_date

    from app.i18n import format_money

    with app.test_request_context(headers={"Accept-Language": "pl"}):
        assert format_money(12500.5) == "12\xa0500,50\xa0zł"
        assert format_date(date(2023, 7, 13), "long") == "13 lipca 2023"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_money(12500.5) == "PLN12,500.50"
