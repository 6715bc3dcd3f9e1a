from __future__ import annotations

import hashlib

from flask import Flask, g, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.extensions import db, login_manager
from app.tenancy.context import set_actor


class ApiWithoutCookies(SecureCookieSessionInterface):
    """The API authenticates by bearer token only: no session cookie is read or set there.

    That is what makes it safe to exempt the API from CSRF protection.
    """

    def open_session(self, app, request):
        if request.path.startswith("/api/"):
            return self.null_session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if request.path.startswith("/api/"):
            return None
        return super().save_session(app, session, response)


def _load_user_from_session(session_id: str):
    """The user a session names, if the session has not been ended since (User.get_id)."""
    from app.accounts import loading
    from app.core.edge import whole_number

    user_id, _, generation = (whole_number(part) for part in session_id.partition(":"))
    if user_id is None or generation is None or _database_unavailable():
        return None
    # The database knows the person the session names before the person loads, so that
    # their memberships in every city load with them (the personal wall, tenancy/rls.py);
    # undone, with what was loaded, if the session no longer holds.
    set_actor(user_id)
    loaded = loading.person(user_id)
    if loaded is None or not loaded.user.is_active or loaded.user.session_generation != generation:
        set_actor(None)
        if loaded is not None:
            db.session.expunge(loaded.user)
        return None
    return loaded.user


def _database_unavailable() -> bool:
    """While the 503 page is drawn (app.core.errors) the person is not loaded again: the
    database would fail the page itself. They read as anonymous on that page alone."""
    return bool(g.get("database_unavailable"))


def _session_identifier() -> str:
    """What "strong" session protection binds a session to: the client's address as the
    trusted proxies report it (ProxyFix), never a header the client may set itself."""
    from app.extensions import client_address

    agent = request.headers.get("User-Agent", "")
    return hashlib.sha512(f"{client_address()}|{agent}".encode()).hexdigest()


def _load_user_from_bearer_token(req):
    from app.accounts.services import user_for_api_token

    header = req.headers.get("Authorization", "")
    if not header.lower().startswith("bearer ") or _database_unavailable():
        return None
    return user_for_api_token(header[7:].strip())


def _person_before_the_page() -> None:
    """Load who asks before the page's first query (after the city, from the URL), so that
    the database learns the city and the person in one statement (tenancy/rls.py) rather
    than one each; a page would load them anyway, for its header or its access check."""
    if request.endpoint != "static":
        current_user._get_current_object()


def _unauthorized():
    from app.core.errors import problem_response, wants_problem_json

    if wants_problem_json():
        return problem_response(401, str(_l("Please log in.")))
    return redirect(url_for("accounts.login", next=request.full_path))


def init_app(app: Flask) -> None:
    from app.accounts import cli, signup_views, views  # noqa: F401

    app.session_interface = ApiWithoutCookies()
    login_manager.user_loader(_load_user_from_session)
    login_manager.request_loader(_load_user_from_bearer_token)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = "strong"
    # Flask-Login's own identifier reads the first X-Forwarded-For, which the client writes.
    login_manager._session_identifier_generator = _session_identifier
    app.register_blueprint(views.blueprint)
    app.cli.add_command(cli.users_cli)
    app.before_request(_person_before_the_page)

    from app.accounts.permissions import can, cities_of_current_user, current_tenant_role

    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["my_cities"] = cities_of_current_user
    app.jinja_env.globals["current_role"] = current_tenant_role
