"""Public pages every visitor reaches: the landing page, a city's home, health checks."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, render_template, request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import text

from app.accounts.permissions import current_tenant_role, is_staff
from app.core import cities, home
from app.core.page_cache import office_fragment
from app.extensions import db, limiter
from app.jobs.queue import redis_connection
from app.pages import page_number
from app.storage import storage
from app.tenancy import clock

blueprint = Blueprint("core", __name__, template_folder="templates")
FORWARDED_PLACE = Markup("<forwarded-to-you>")


@blueprint.get("/")
def landing():
    query = request.args.get("q", "").strip()
    return render_template(
        "core/landing.html",
        regions=cities.region_cards(),
        query=query,
        found=cities.cities_named(query, page_number(request.args.get("page", 1)))
        if query
        else None,
    )


@blueprint.get("/<tenant_slug>/")
def tenant_home():
    return render_template("core/tenant_home.html", tenant=g.tenant, content=_home_content())


def _home_content() -> Markup:
    """The office's home is kept for all of it, by the day and the role, but for the items
    forwarded to the person; anyone else's is rendered (a visitor's page is kept whole)."""
    if not is_staff():
        return Markup(render_template("core/_home.html", tenant=g.tenant, home=home.home()))
    mine = home.forwarded_to(current_user)
    forwarded = render_template("core/_forwarded_to_you.html", forwarded=mine)
    return office_fragment(
        "city-home",
        lambda: render_template(
            "core/_home.html", tenant=g.tenant, home=home.home(), forwarded_to_you=FORWARDED_PLACE
        ),
        clock.today(),
        current_tenant_role(),
        own={FORWARDED_PLACE: forwarded},
    )


@blueprint.get("/<tenant_slug>/brand.css")
def tenant_brand():
    # Served as a stylesheet so the strict CSP needs no inline styles.
    css = f":root {{ --brand: {g.tenant.brand_colour}; }}\n"
    response = Response(css, mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@blueprint.get("/healthz")
@limiter.exempt
def healthz():
    return jsonify(status="ok")


@blueprint.get("/readyz")
@limiter.exempt
def readyz():
    """Whether this process should be sent requests. The database and the storage are needed
    (a 503 names the one that is down); Redis is not — without it pages, logins and figures
    still serve (app/caching.py, the limiter's fallback) and only starting tasks fails, with
    a message — so its loss is reported as "degraded", still ready."""
    checks = {"database": _database_answers(), "storage": _storage_writable()}
    if (redis := redis_connection()) is not None:
        checks["redis"] = _redis_answers(redis)
    if any(checks[part] != "ok" for part in NEEDED_FOR_READINESS):
        return jsonify(status="unavailable", checks=checks), 503
    degraded = any(result != "ok" for result in checks.values())
    return jsonify(status="degraded" if degraded else "ok", checks=checks)


NEEDED_FOR_READINESS = ("database", "storage")


def _database_answers() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:
        return _unavailable(error)
    return "ok"


def _storage_writable() -> str:
    try:
        storage().probe()
    except OSError as error:
        return _unavailable(error)
    return "ok"


def _redis_answers(redis) -> str:
    try:
        redis.ping()
    except Exception as error:
        return _unavailable(error)
    return "ok"


def _unavailable(error: Exception) -> str:
    return f"unavailable: {type(error).__name__}"
