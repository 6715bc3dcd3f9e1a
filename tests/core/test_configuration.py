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
