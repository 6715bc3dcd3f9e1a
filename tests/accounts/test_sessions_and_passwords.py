from __future__ import annotations

from app.accounts.models import User
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, log_in, post_form


def test_log_in_and_out(client, make_user):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    response = log_in(client, "a.szymanska@leszno.pl")
    assert response.location.endswith("/leszno/")  # one city: straight to it
    assert "Jan Kowalski" in client.get("/leszno/").get_data(as_text=True)
    post_form(client, "/logout")
    assert client.get("/my-cities").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, make_user):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    response = post_form(
        client,
        "/login",
        {"email": "a.szymanska@leszno.pl", "password": "zle"},
        headers={"Accept-Language": "pl"},
    )
    assert response.status_code == 200
    assert "Adres e-mail lub hasło są nieprawidłowe." in response.get_data(as_text=True)
    assert client.get("/my-cities").status_code == 302


def test_forms_without_the_csrf_token_are_refused(client, make_user):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    response = client.post("/login", data={"email": "a.szymanska@leszno.pl", "password": PASSWORD})
    assert response.status_code == 400


def test_login_is_rate_limited(client, make_user):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    token = csrf_token(client)
    statuses = [
        client.post(
            "/login",
            data={"csrf_token": token, "email": "a.szymanska@leszno.pl", "password": "zgadywane"},
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_password_reset_by_mail(client, make_user, mailbox):
    make_user("b.grygier@leszno.pl", leszno="staff", locale="pl")
    response = post_form(client, "/password/forgot", {"email": "b.grygier@leszno.pl"})
    assert response.status_code == 302
    message = mailbox.last_to("b.grygier@leszno.pl")
    assert message["Subject"] == "Ustaw nowe hasło w Razem"
    link = mailbox.link_in(message)
    new_password = "nowe-hasło-2026"
    path = link.split("localhost", 1)[1]
    response = post_form(client, path, {"password": new_password, "confirm": new_password})
    assert response.status_code == 302
    log_in(client, "b.grygier@leszno.pl", new_password)
    # the link works once
    assert client.get(path).status_code == 302
    assert "/password/forgot" in client.get(path).location


def test_password_reset_does_not_reveal_whether_an_account_exists(client, mailbox):
    response = post_form(client, "/password/forgot", {"email": "nikt@example.org"})
    assert response.status_code == 302
    assert mailbox.messages == []


def test_passwords_are_hashed_with_argon2(app_context, make_user):
    user = make_user("a.szymanska@leszno.pl", leszno="admin")
    stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_short_new_password_is_refused_with_a_message(client, make_user):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    response = post_form(
        client,
        "/account",
        {
            "password-current_password": PASSWORD,
            "password-password": "krotkie",
            "password-confirm": "krotkie",
            "password-submit": "1",
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert "Use at least 10 characters." in response.get_data(as_text=True)
