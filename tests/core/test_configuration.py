import pytest

from app.config import DEVELOPMENT_SECRET_KEY, ConfigurationError, load_config


def test_production_refuses_the_development_secret_key(monkeypatch):
    monkeypatch.setenv("RAZEM_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://razem_app@db/razem")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_config()
    monkeypatch.setenv("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_config()


def test_production_refuses_sqlite(monkeypatch):
    monkeypatch.setenv("RAZEM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="PostgreSQL"):
        load_config()


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setenv("RAZEM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://razem_app@db/razem")
    config = load_config()
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_behind_a_transaction_pooler_no_statement_is_prepared_on_the_server(monkeypatch, databases):
    # PgBouncer in transaction mode may run a transaction's next statement on another server
    # connection, where a prepared statement does not exist: none may be prepared.
    from sqlalchemy import create_engine, text

    monkeypatch.setenv("DATABASE_POOLER", "transaction")
    engine = create_engine(databases.owner_url, **load_config()["SQLALCHEMY_ENGINE_OPTIONS"])
    try:
        with engine.connect() as connection:
            for _ in range(10):  # psycopg prepares a statement from its 5th run by default
                connection.execute(text("SELECT count(*) FROM pg_class WHERE oid > :n"), {"n": 0})
            prepared = connection.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    finally:
        engine.dispose()
    assert prepared == 0
