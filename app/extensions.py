"""Extensions, created unbound and bound to the app in create_app()."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import request
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Database(SQLAlchemy):
    def paginate(self, select, **pages):  # type: ignore[override]
        """Flask-SQLAlchemy's, which counts the list on every page, save where a short page
        tells the total (app/pages.py)."""
        from app.pages import SelectPagination

        return SelectPagination(select=select, session=self.session(), **pages)


db = Database(model_class=Base)
# Models inherit this name: it is db.Model at run time, and a class mypy can follow.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()


def client_address() -> str:
    """The client's address: the socket's peer, or what the configured number of trusted
    proxies reports (ProxyFix in create_app) — never a forwarded address the client wrote."""
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=client_address)
talisman = Talisman()
# Figures of a whole region that are costly to compute; Redis when configured, else in-process.
cache = Cache(with_jinja2_ext=False)
# The layout's parts that show no data, only the city, the reader's role and the language
# (the menus, the footer), kept by `{% cache %}` in each process: a round trip to Redis
# would cost what rendering them does.
layout_cache = Cache(
    config={
        "CACHE_TYPE": "SimpleCache",
        "CACHE_OPTIONS": None,
        "CACHE_THRESHOLD": 5000,
        "CACHE_DEFAULT_TIMEOUT": 0,
    }
)
