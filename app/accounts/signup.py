"""Self-service sign-up: a person opens their own account and confirms its address by a
signed, expiring link. From outside, every address gets the same answer and one e-mail, so
the form tells nobody which addresses have an account."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, session, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app import unit_of_work
from app.accounts.models import User, hash_password
from app.accounts.services import create_user, find_user
from app.extensions import db
from app.i18n import safe_next
from app.mail import send_mail

# Where the person was going when they signed up, and the address to send the link again to.
SESSION_KEY = "sign_up"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="email-confirmation")


def _password_mark(user: User) -> str:
    # The link names the password it was sent for: a later sign-up with the same unconfirmed
    # address (and so another password) makes the earlier links useless.
    return (user.password_hash or "")[-16:]


def confirmation_token(user: User, next_path: str | None) -> str:
    return _serializer().dumps(
        {"user": user.id, "email": user.email, "mark": _password_mark(user), "next": next_path}
    )


@dataclass(frozen=True)
class Confirmation:
    """What a link from the mail opens: the account to confirm, or why it cannot."""

    user: User | None = None
    next_path: str | None = None
    problem: str | None = None  # "expired", "used" or "invalid"


def read_confirmation(token: str) -> Confirmation:
    max_age = current_app.config["EMAIL_CONFIRMATION_MAX_AGE_SECONDS"]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        return Confirmation(problem="expired")
    except BadSignature:
        return Confirmation(problem="invalid")
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("email"):
        return Confirmation(problem="invalid")
    if user.email_confirmed:
        return Confirmation(problem="used")
    if _password_mark(user) != data.get("mark"):
        return Confirmation(problem="invalid")
    return Confirmation(user=user, next_path=data.get("next"))


def sign_up(
    name: str, email: str, password: str, locale: str | None, next_path: str | None
) -> None:
    """Open an unconfirmed account and mail the link to confirm it; an address with an
    account gets a mail that says so instead, and the same answer on the page."""
    existing = find_user(email)
    if existing is None:
        user = create_user(email, name, password, locale, email_confirmed=False)
        _send_confirmation(user, next_path)
    elif not existing.email_confirmed:
        # Nobody has proved this address yet: whoever does now keeps these details.
        existing.name = name.strip()
        existing.set_password(password)
        unit_of_work.flush()
        _send_confirmation(existing, next_path)
    else:
        hash_password(password)  # as long as the other answers take: no timing tells
        _send_already_registered(existing)


def send_again(email: str, next_path: str | None) -> None:
    """The mail of a sign-up once more, for whichever of the three it was."""
    existing = find_user(email)
    if existing is None:
        return
    if existing.email_confirmed:
        _send_already_registered(existing)
    else:
        _send_confirmation(existing, next_path)


def confirm(user: User) -> None:
    user.email_confirmed = True
    unit_of_work.flush()


def _send_confirmation(user: User, next_path: str | None) -> None:
    link = url_for(
        "accounts.confirm_email", token=confirmation_token(user, next_path), _external=True
    )
    days = current_app.config["EMAIL_CONFIRMATION_MAX_AGE_SECONDS"] // (24 * 3600)
    send_mail(
        user.email,
        _l("Confirm your e-mail address in Razem"),
        "confirm_email",
        locale=user.locale,
        user=user,
        link=link,
        days=days,
    )


def _send_already_registered(user: User) -> None:
    send_mail(
        user.email,
        _l("Someone tried to sign up to Razem with your address"),
        "already_registered",
        locale=user.locale,
        user=user,
        login=url_for("accounts.login", _external=True),
        reset=url_for("accounts.forgot_password", _external=True),
    )


def remember_sign_up(email: str, next_path: str | None) -> None:
    """For "send the link again" and for where to go once the address is confirmed."""
    session[SESSION_KEY] = {"email": email, "next": safe_next(next_path, "") or None}


def remembered_sign_up() -> dict | None:
    remembered = session.get(SESSION_KEY)
    return remembered if isinstance(remembered, dict) and remembered.get("email") else None
