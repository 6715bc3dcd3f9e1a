"""Public pages every visitor reaches: the landing page, a city's home, health checks."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, render_template
from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from app.extensions import db, limiter
from app.jobs.queue import redis_connection
from app.tenancy.models import Region

blueprint = Blueprint("core", __name__, template_folder="templates")


@blueprint.get("/")
def landing():
    regions = db.session.scalars(
        select(Region).options(selectinload(Region.tenants)).order_by(Region.slug)
    ).all()
    return render_template("core/landing.html", regions=[r for r in regions if r.tenants])


@blueprint.get("/<tenant_slug>/")
def tenant_home():
    return render_template("core/tenant_home.html", tenant=g.tenant)


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
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"unavailable: {type(error).__name__}"
    redis = redis_connection()
    if redis is not None:
        try:
            redis.ping()
            checks["redis"] = "ok"
        except Exception as error:
            checks["redis"] = f"unavailable: {type(error).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503
