"""Configuration from environment variables, with safe development defaults."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET_KEY = "razem-development-only-secret-key"
# Seconds a Redis that does not answer may hold a request (rate limits, cache).
REDIS_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 1}


class ConfigurationError(RuntimeError):
    """The environment does not describe a deployment Razem can safely run in."""


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _engine_options() -> dict:
    options: dict = {}
    if os.environ.get("DATABASE_POOLER") == "transaction":
        # PgBouncer in transaction mode hands each transaction to any server connection:
        # a statement psycopg prepared on one is unknown on the next (deploy/README.md).
        options["connect_args"] = {"prepare_threshold": None}
    return options


def load_config(overrides: dict | None = None) -> dict:
    environment = os.environ.get("RAZEM_ENV", "development")
    instance = Path(os.environ.get("RAZEM_INSTANCE_DIR", PROJECT_ROOT / "instance"))
    production = environment == "production"
    redis_url = os.environ.get("REDIS_URL") or None
    cache_type = os.environ.get("CACHE_TYPE") or ("RedisCache" if redis_url else "SimpleCache")
    config: dict = {
        "RAZEM_ENV": environment,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'razem.sqlite3'}"
        ),
        # Migrations run as the owner of the tables; the app connects as a role that is
        # not, so PostgreSQL row-level security applies to it.
        # No pre-ping: app/connections.py finds out, without a round trip, a pooled
        # connection that a restart of PostgreSQL closed.
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(),
        # What a 503 (the database unreachable) asks clients to wait before trying again.
        "UNAVAILABLE_RETRY_AFTER_SECONDS": int(
            os.environ.get("UNAVAILABLE_RETRY_AFTER_SECONDS", "30")
        ),
        "MIGRATION_DATABASE_URI": os.environ.get("MIGRATION_DATABASE_URL") or None,
        "APP_DB_ROLE": os.environ.get("APP_DB_ROLE") or None,
        "REDIS_URL": redis_url,
        "TENANTS_DIR": Path(os.environ.get("TENANTS_DIR", PROJECT_ROOT / "tenants")),
        "STORAGE_ROOT": Path(os.environ.get("STORAGE_ROOT", instance / "storage")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Razem <no-reply@razem.local>"
        ),
        "MAIL_OUTBOX": Path(os.environ.get("MAIL_OUTBOX", instance / "outbox")),
        # json: one object a line for the log collector; text: for a person at a terminal.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json" if production else "text"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),
        # Who may read /metrics: these networks (the socket's peer, not X-Forwarded-For),
        # or anyone sending `Authorization: Bearer <METRICS_TOKEN>`.
        "METRICS_ALLOWED_NETWORKS": tuple(
            n.strip()
            for n in os.environ.get("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128").split(",")
            if n.strip()
        ),
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        # A job started (running) longer than this is counted as stuck in the metrics.
        "JOB_STUCK_AFTER_SECONDS": int(os.environ.get("JOB_STUCK_AFTER_SECONDS", "900")),
        "SENTRY_DSN": os.environ.get("SENTRY_DSN") or None,
        "SENTRY_TRACES_SAMPLE_RATE": float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        "BABEL_DEFAULT_LOCALE": "pl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Warsaw",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "LANGUAGES": ("pl", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PREFERRED_URL_SCHEME": os.environ.get(
            "PREFERRED_URL_SCHEME", "https" if production else "http"
        ),
        # Where the site is reached: the links of e-mails written by the background worker,
        # which has no request to take the address from.
        "SITE_URL": os.environ.get("SITE_URL", "http://127.0.0.1:5000"),
        "PROXY_FIX": _flag("PROXY_FIX", production),
        # How many proxies (nginx, a load balancer) stand between the client and the app.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "1")),
        "FORCE_HTTPS": _flag("FORCE_HTTPS", False),
        "CACHE_TYPE": cache_type,
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "razem-cache:"),
        # A Redis that does not answer costs a page at most this long, then it is computed.
        "CACHE_OPTIONS": REDIS_TIMEOUTS if cache_type == "RedisCache" else None,
        # How long the region's cooperation benchmark may be shown before it is computed again.
        "BENCHMARK_MAX_AGE_SECONDS": int(os.environ.get("BENCHMARK_MAX_AGE_SECONDS", "300")),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "razem"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Without Redis, each process counts on its own (with a warning in the log) rather
        # than refusing every login; the counts return to Redis when it answers again.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": REDIS_TIMEOUTS if redis_url else {},
        # a sliding window: ten tries "per minute" cannot become twenty across a boundary
        "RATELIMIT_STRATEGY": "moving-window",
        # Tries at a password (login, API token, the current password) per address and,
        # separately, per account; password reset mails likewise.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;100 per hour"),
        "PASSWORD_RESET_RATE_LIMIT": os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per hour"),
        "API_TOKEN_MAX_AGE_DAYS": int(os.environ.get("API_TOKEN_MAX_AGE_DAYS", "90")),
        # How long nginx or a CDN may serve a public page to visitors without cookies
        # before asking again (app/core/edge.py); 0: ask every time, with its ETag.
        "PUBLIC_PAGE_MAX_AGE": int(os.environ.get("PUBLIC_PAGE_MAX_AGE", "60")),
        # "Last used" of a token is written at most this often (each write is a commit).
        "API_TOKEN_USE_PRECISION_SECONDS": 300,
        "TOKEN_MAX_AGE_SECONDS": 24 * 3600,
        "INVITATION_MAX_AGE_SECONDS": 14 * 24 * 3600,
        # Seconds to wait before each retry of a failed job (one retry per value).
        "JOB_RETRY_INTERVALS": tuple(
            int(v) for v in os.environ.get("JOB_RETRY_INTERVALS", "10,60,300").split(",") if v
        ),
        # A worker renews a running job's heartbeat this often; three missed beats and the job
        # counts as abandoned (its worker died) and is taken up again, within a minute.
        "JOB_HEARTBEAT_SECONDS": int(os.environ.get("JOB_HEARTBEAT_SECONDS", "10")),
        # How often a worker reconciles the job records with the queue (reconcile.py), and
        # how old a waiting record must be before the queue's not holding it means it is lost.
        "JOB_RECONCILE_SECONDS": int(os.environ.get("JOB_RECONCILE_SECONDS", "30")),
        "JOB_LOST_AFTER_SECONDS": int(os.environ.get("JOB_LOST_AFTER_SECONDS", "60")),
        # Seconds before each retry of a webhook delivery the receiver did not accept (then
        # it gives up): 1 min, 5 min, 30 min, 2 h, 12 h.
        "WEBHOOK_RETRY_SECONDS": tuple(
            int(v)
            for v in os.environ.get("WEBHOOK_RETRY_SECONDS", "60,300,1800,7200,43200").split(",")
            if v
        ),
        # Webhooks to private, loopback or link-local addresses: refused (SSRF) unless this
        # is on, which only the test suite's loopback receiver needs.
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS": _flag("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False),
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
        "API_TITLE": "Razem API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "info": {"description": "Razem — NGO and local-government cooperation platform."},
        },
        "WTF_CSRF_TIME_LIMIT": None,
        # Sign-ups per client address; each also counts against the public mail limits.
        "SIGNUP_RATE_LIMIT": os.environ.get("SIGNUP_RATE_LIMIT", "5 per hour;20 per day"),
        "EMAIL_CONFIRMATION_MAX_AGE_SECONDS": 3 * 24 * 3600,
        # Who publishes the pages outside any city (sign-up, regions, the landing page): the
        # controller named by their privacy texts and accessibility statement.
        "OPERATOR": {
            "name": os.environ.get("OPERATOR_NAME", "Operator platformy Razem"),
            "address": os.environ.get("OPERATOR_ADDRESS", ""),
            "email": os.environ.get("OPERATOR_EMAIL", "kontakt@razem.local"),
            "phone": os.environ.get("OPERATOR_PHONE", ""),
            "dpo_email": os.environ.get("OPERATOR_DPO_EMAIL", "iod@razem.local"),
            "website": os.environ.get("OPERATOR_WEBSITE", ""),
            "accessibility_contact": os.environ.get(
                "OPERATOR_ACCESSIBILITY_CONTACT", "koordynator do spraw dostępności"
            ),
            "published_on": os.environ.get("OPERATOR_PUBLISHED_ON", "2026-11-16"),
        },
    }
    config.update(overrides or {})
    # Keep such pages whole in the cache for as long (app/core/page_cache.py): by default
    # only in a cache all processes share, since one process's change must reach them all.
    config.setdefault("PAGE_CACHE", _flag("PAGE_CACHE", config["CACHE_TYPE"] == "RedisCache"))
    _refuse_unsafe_production(config)
    return config


def _refuse_unsafe_production(config: dict) -> None:
    if config["RAZEM_ENV"] != "production":
        return
    if config["SECRET_KEY"] in {DEVELOPMENT_SECRET_KEY, "", None}:
        raise ConfigurationError("SECRET_KEY must be set to a secret value in production.")
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        raise ConfigurationError("Production runs on PostgreSQL: set DATABASE_URL.")
    if config["WEBHOOKS_ALLOW_PRIVATE_TARGETS"]:
        raise ConfigurationError(
            "WEBHOOKS_ALLOW_PRIVATE_TARGETS is for tests: in production a webhook must not "
            "reach the server's own network."
        )
