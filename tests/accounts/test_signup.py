"""Self-service sign-up: the address is confirmed by a signed, expiring link before the
account opens; the form tells nobody which addresses have an account; it is rate limited."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from tests.conftest import PASSWORD, log_in, post_form

NEW_PASSWORD = "nowe-hasło-12345"


def _sign_up(client, email: str, name: str = "Ewa Nowak", password: str = NEW_PASSWORD, **extra):
    data = {
        "name": name,
        "email": email,
        "password": password,
        "confirm": password,
        "privacy": "y",
    }
    return post_form(client, "/signup" + extra.get("query", ""), data)


def _link(mailbox, email: str) -> str:
    return urlsplit(mailbox.link_in(mailbox.last_to(email))).path


def _without_tokens(page: str) -> str:
    """The page as a person reads it: CSRF tokens are signed anew for every page."""
    return re.sub(r'(csrf[-_]token"[^>]*?(?:content|value)=")[^"]+', r"\1", page)


def _user(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_a_new_person_signs_up_confirms_the_address_and_is_logged_in(
    app, client, app_context, mailbox
):
    response = _sign_up(client, "ewa.nowak@example.pl", query="?next=/leszno/organisations/apply")
    assert response.status_code == 302 and response.location == "/signup/sent"
    assert "ewa.nowak@example.pl" in client.get("/signup/sent").get_data(as_text=True)
    assert _user("ewa.nowak@example.pl").email_confirmed is False

    link = _link(mailbox, "ewa.nowak@example.pl")
    assert link.startswith("/signup/confirm/")
    page = client.get(link)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200 and _user("ewa.nowak@example.pl").email_confirmed is False

    confirmed = post_form(client, link)
    assert confirmed.status_code == 302
    assert confirmed.location == "/leszno/organisations/apply"  # back to the request
    assert _user("ewa.nowak@example.pl").email_confirmed is True
    assert "Ewa Nowak" in client.get("/leszno/organisations/apply").get_data(as_text=True)


def test_an_address_with_an_account_gets_the_same_answer_and_its_owner_a_warning(
    client, make_user, mailbox
):
    make_user("jan@example.pl", name="Jan Kowalski")
    answers = []
    for email in ("jan@example.pl", "nikt@example.pl"):
        response = _sign_up(client, email)
        page = _without_tokens(client.get(response.location).get_data(as_text=True))
        answers.append((response.status_code, response.location, page.replace(email, "@")))
    assert answers[0] == answers[1]

    warning = mailbox.last_to("jan@example.pl")
    assert "Konto z tym adresem już istnieje" in warning.get_content()
    assert len(mailbox.messages) == 2  # one mail to each address, whatever it holds
    # the account was not touched: its own password still opens it
    log_in(client, "jan@example.pl", PASSWORD)


def test_an_unconfirmed_account_cannot_log_in_and_is_offered_the_link_again(
    client, app_context, mailbox
):
    _sign_up(client, "ewa@example.pl")
    other = client.application.test_client()
    answer = post_form(other, "/login", {"email": "ewa@example.pl", "password": NEW_PASSWORD})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200  # not logged in
    assert "/signup/again" in page
    assert "Wyloguj" not in page and "Log out" not in page

    mailbox.clear()
    post_form(other, "/signup/again", {"email": "ewa@example.pl"})
    assert mailbox.last_to("ewa@example.pl")
    # a wrong password learns nothing about the address
    wrong = post_form(other, "/login", {"email": "ewa@example.pl", "password": "zle-haslo-123"})
    assert "/signup/again" not in wrong.get_data(as_text=True)


def test_the_api_refuses_a_token_to_an_unconfirmed_account(client, app_context):
    _sign_up(client, "ewa@example.pl")
    answer = client.post(
        "/api/v1/auth/token",
        json={"email": "ewa@example.pl", "password": NEW_PASSWORD, "name": "test"},
    )
    assert answer.status_code == 401


def test_a_used_link_says_so_and_opens_nothing(client, app_context, mailbox):
    _sign_up(client, "ewa@example.pl")
    link = _link(mailbox, "ewa@example.pl")
    post_form(client, link)
    again = client.application.test_client().get(link)
    assert again.status_code == 410
    assert "/login" in again.get_data(as_text=True)


def test_an_expired_link_says_so_and_opens_nothing(app, client, app_context, mailbox):
    _sign_up(client, "ewa@example.pl")
    link = _link(mailbox, "ewa@example.pl")
    app.config["EMAIL_CONFIRMATION_MAX_AGE_SECONDS"] = -1
    try:
        expired = post_form(client, link)
    finally:
        app.config["EMAIL_CONFIRMATION_MAX_AGE_SECONDS"] = 3 * 24 * 3600
    assert expired.status_code == 410
    assert _user("ewa@example.pl").email_confirmed is False


def test_a_tampered_link_is_not_found(client, app_context, mailbox):
    _sign_up(client, "ewa@example.pl")
    link = _link(mailbox, "ewa@example.pl")
    assert client.get(link[:-3] + "abc").status_code == 404


def test_signing_up_again_replaces_the_unconfirmed_details_and_the_old_link(
    client, app_context, mailbox
):
    """Nobody has proved an unconfirmed address: the last sign-up's link is the one that
    works, with its password — an earlier one, maybe another person's, no longer does."""
    _sign_up(client, "ewa@example.pl", name="Ktoś Obcy", password="hasło-kogoś-obcego")
    first = _link(mailbox, "ewa@example.pl")
    _sign_up(client, "ewa@example.pl", name="Ewa Nowak")
    second = _link(mailbox, "ewa@example.pl")
    assert post_form(client, first).status_code == 404
    assert post_form(client, second).status_code == 302
    user = _user("ewa@example.pl")
    assert user.name == "Ewa Nowak" and user.check_password(NEW_PASSWORD)


def test_the_form_refuses_bad_input_with_messages_and_creates_nothing(client, app_context):
    answer = post_form(
        client,
        "/signup",
        {"name": "", "email": "nie-adres", "password": "krótkie", "confirm": "inne"},
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    assert db.session.scalar(select(User).where(User.email == "nie-adres")) is None


def test_the_privacy_clause_is_on_the_form_and_must_be_acknowledged(client, app_context):
    page = client.get("/signup?next=/leszno/organisations/apply").get_data(as_text=True)
    assert "Prezydent Miasta Leszna" in page and "iod@leszno.pl" in page
    assert "Operator platformy Razem" in client.get("/signup").get_data(as_text=True)
    answer = post_form(
        client,
        "/signup",
        {
            "name": "Ewa",
            "email": "ewa@example.pl",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert answer.status_code == 422
    assert _user("ewa@example.pl") is None


def test_sign_up_is_rate_limited_per_client(app, client, app_context):
    statuses = [_sign_up(client, f"osoba{number}@example.pl").status_code for number in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429


def test_a_password_reset_confirms_the_address(client, app_context, mailbox):
    _sign_up(client, "ewa@example.pl")
    post_form(client, "/password/forgot", {"email": "ewa@example.pl"})
    reset = urlsplit(mailbox.link_in(mailbox.last_to("ewa@example.pl"))).path
    post_form(client, reset, {"password": "inne-hasło-98765", "confirm": "inne-hasło-98765"})
    assert _user("ewa@example.pl").email_confirmed is True
    log_in(client, "ewa@example.pl", "inne-hasło-98765")


def test_a_logged_in_person_is_sent_on(client, make_user):
    make_user("jan@example.pl")
    log_in(client, "jan@example.pl")
    assert client.get("/signup?next=/leszno/").location == "/leszno/"
