"""What /api/v1 adds to its answers on the way out: conditional GET for public reads
(ETag, Last-Modified, 304) and CORS for the websites a city lists in its TOML file.

Both are for anonymous reads only: an answer to a bearer token may hold what only its
holder reads, so no shared cache and no other site's page ever gets it."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, Response, current_app, g, request

from app.accounts.permissions import declared_roles
from app.api.versions import tag_versioned
from app.tenancy.catalog import cors_origins

READS = ("GET", "HEAD")
# The request headers a city's page may send with a public read (If-None-Match etc.
# are not CORS-safelisted, so they are asked for in a preflight).
ALLOWED_HEADERS = "Accept-Language, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified, Link, X-Pagination"
PREFLIGHT_MAX_AGE = 600


def last_modified(moment: datetime | None) -> None:
    """Tell the answer when what it shows last changed (a record's `updated_at`)."""
    if moment is not None:
        g.api_last_modified = moment


def _is_public_read(method: str) -> bool:
    """A read that needs no token, asked without one."""
    if method not in READS or "Authorization" in request.headers:
        return False
    asked_as = "GET" if method == "HEAD" else method  # HEAD is answered by the GET view
    return request.endpoint is not None and declared_roles(request.endpoint, asked_as) is None


def conditional(response: Response) -> Response:
    response.vary.update(("Accept-Language", "Authorization", "Origin"))
    if response.status_code != 200 or not _is_public_read(request.method):
        return response
    moment = g.get("api_last_modified")
    if moment is not None:
        response.last_modified = moment
    response.add_etag()
    response.headers.setdefault("Cache-Control", "public, no-cache")
    response.make_conditional(request)  # turns it into the 304 when nothing changed
    return response


def cross_origin(response: Response) -> Response:
    origin = request.headers.get("Origin")
    if origin is None or not _allowed(origin):
        return response
    preflight = request.method == "OPTIONS"
    method = request.headers.get("Access-Control-Request-Method") if preflight else request.method
    asked = request.headers.get("Access-Control-Request-Headers", "").lower()
    if not method or not _is_public_read(method) or "authorization" in asked:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if preflight:
        response.headers["Access-Control-Allow-Methods"] = ", ".join(READS)
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def _allowed(origin: str) -> bool:
    tenant = g.get("tenant")
    origins = current_app.extensions["razem_cors_origins"]
    return tenant is not None and origin.lower() in origins.get(tenant.slug, ())


def init_app(app: Flask, blueprint_names: set[str]) -> None:
    directory = app.config["TENANTS_DIR"]
    app.extensions["razem_cors_origins"] = cors_origins(directory) if directory.is_dir() else {}

    @app.after_request
    def api_answers(response: Response) -> Response:
        if request.blueprint not in blueprint_names:
            return response
        if not _is_public_read(request.method):
            response = tag_versioned(response)
        return cross_origin(conditional(response))
