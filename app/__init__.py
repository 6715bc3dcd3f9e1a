"""Razem: create_app() builds the application; every feature is a package below."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app import connections, extensions, unit_of_work
from app.config import load_config

DATABASE_INTEGER_MAX = 2**31 - 1

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class RecordId(IntegerConverter):
    """`<int:…>` in a URL: a number a database id can be, so `/meetings/2**70` is a 404
    rather than an overflow in PostgreSQL."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", DATABASE_INTEGER_MAX)
        super().__init__(map, *args, **kwargs)


class Utf8Json(DefaultJSONProvider):
    """JSON is UTF-8 (RFC 8259): a Polish name goes out as written, not as \\u escapes."""

    ensure_ascii = False


class Razem(Flask):
    json_provider_class = Utf8Json

    def dispatch_request(self):
        """Every view is one unit of work: committed if it succeeds, else rolled back. A
        public page another visitor was just shown is not rendered again (page_cache)."""
        from app.core import page_cache

        kept = page_cache.kept_page()
        if kept is not None:
            return kept
        response = self.make_response(super().dispatch_request())
        unit_of_work.finish_request(response.status_code)
        page_cache.keep(response)
        return response

    def process_response(self, response):
        from app.core.edge import cache_headers

        return cache_headers(super().process_response(response))


def create_app(overrides: dict | None = None) -> Flask:
    app = Razem(__name__, instance_relative_config=False)
    app.url_map.converters["int"] = RecordId
    app.config.update(load_config(overrides))
    _ensure_sqlite_folder(app.config["SQLALCHEMY_DATABASE_URI"])
    _init_extensions(app)
    _register_features(app)
    trust_proxies(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Read the client's address from X-Forwarded-For as far as PROXY_COUNT proxies wrote it;
    what the client wrote before them is never believed."""
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=1, x_host=1
        )


def _ensure_sqlite_folder(uri: str) -> None:
    """The embedded default keeps its SQLite file in instance/; make the folder on first run."""
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def _init_extensions(app: Flask) -> None:
    from app.i18n import select_locale, select_timezone

    extensions.db.init_app(app)
    with app.app_context():
        for engine in extensions.db.engines.values():
            connections.check_before_use(engine)
    extensions.migrate.init_app(app, extensions.db, directory=str(_migrations_dir()))
    extensions.login_manager.init_app(app)
    extensions.babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.cache.init_app(app)
    extensions.layout_cache.init_app(app)
    extensions.talisman.init_app(
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["RAZEM_ENV"] == "production",
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )


def _migrations_dir():
    from app.config import PROJECT_ROOT

    return PROJECT_ROOT / "migrations"


def _register_features(app: Flask) -> None:
    from app import (
        accounts,
        api,
        audit,
        core,
        demo,
        exports,
        feeds,
        i18n,
        jobs,
        legal,
        meetings,
        notifications,
        observability,
        organisations,
        platform,
        programmes,
        regions,
        tenancy,
        webhooks,
    )

    features = (
        tenancy,
        i18n,
        core,
        accounts,
        organisations,
        programmes,
        meetings,
        audit,
        jobs,
        regions,
        platform,
        legal,
        notifications,
        feeds,
        webhooks,
    )
    # observability last: its hooks go before every other feature's (request id first)
    for feature in (*features, exports, demo, api, observability):
        feature.init_app(app)
