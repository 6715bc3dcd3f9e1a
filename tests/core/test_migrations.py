"""An empty PostgreSQL database upgrades to head, and the models match the migrations."""

from __future__ import annotations

import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from app import create_app
from app.extensions import db
from app.schema import include_object
from tests.conftest import ADMIN_URL


def test_empty_database_upgrades_to_head_without_drift(tmp_path):
    name = f"razem_migration_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(False)
    try:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "RAZEM_ENV": "testing", "STORAGE_ROOT": tmp_path}
        )
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"include_object": include_object}
                )
                diff = compare_metadata(context, db.metadata)
            db.engine.dispose()
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
