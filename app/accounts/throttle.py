"""Every password check is throttled per client address and, separately, per account: a
guesser who rotates addresses (or forges X-Forwarded-For) still gets ten tries at one account."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import current_app, request
from flask_login import current_user

from app.extensions import client_address, limiter


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def per_address_and_account(
    account: Callable[[], str], limit: Callable[[], str] = _login_rate_limit, **options
) -> Callable:
    """Limit the decorated view both per client address and per `account()`."""

    def decorate(view: Callable) -> Callable:
        by_account = limiter.limit(limit, key_func=lambda: f"account:{account()}", **options)
        by_address = limiter.limit(limit, **options)
        return by_address(by_account(view))

    return decorate


def submitted_email() -> str:
    """The account a login, token or reset request names, as find_user matches it."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if isinstance(data, Mapping) else None
    return str(email or "").strip().lower()


def logged_in_account() -> str:
    return str(current_user.id) if current_user.is_authenticated else client_address()
