"""Alembic environment: migrations run as the owner of the tables (MIGRATION_DATABASE_URL),
then the application's role (APP_DB_ROLE) is granted what it may do — and no more."""

import logging

from alembic import context
from flask import current_app
from sqlalchemy import create_engine, text

from app.schema import APPEND_ONLY_TABLES, include_object
from app.tenancy.before_scope import DEFINER_READS
from app.tenancy.rls import REGIONAL_READER

config = context.config
# Migrations run inside the app (`flask db upgrade`, the test suite): its logging
# (app/observability/logs.py) writes their lines too, never alembic.ini's handlers in its place.
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def engine():
    owner_url = current_app.config.get("MIGRATION_DATABASE_URI")
    return create_engine(owner_url) if owner_url else target_db.engine


def grant_application_role(connection) -> None:
    role = current_app.config.get("APP_DB_ROLE")
    if not role or connection.dialect.name != "postgresql":
        return
    quoted = connection.dialect.identifier_preparer.quote(role)
    connection.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
    )
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"))
    connection.execute(text(f"REVOKE ALL ON alembic_version FROM {quoted}"))
    for table in APPEND_ONLY_TABLES:
        connection.execute(text(f"REVOKE UPDATE, DELETE ON {table} FROM {quoted}"))
    # The reads made before a person or a city is known (app/tenancy/before_scope.py).
    names = [read.name for read in DEFINER_READS]
    existing = set(
        connection.scalars(
            text("SELECT proname FROM pg_proc WHERE proname = ANY(:names)"), {"names": names}
        )
    )
    for read in DEFINER_READS:
        if read.name in existing:
            connection.execute(
                text(f"GRANT EXECUTE ON FUNCTION {read.name}({read.types()}) TO {quoted}")
            )
    # A regional read runs as the regional reader (app/tenancy/rls.py); deploy/postgres/
    # init.sql grants it where the owner may not.
    reader = connection.scalar(
        text("SELECT oid FROM pg_roles WHERE rolname = :reader"), {"reader": REGIONAL_READER}
    )
    member = reader is not None and connection.scalar(
        text("SELECT pg_has_role(:role, :reader, 'MEMBER')"), {"role": role, "reader": reader}
    )
    if reader is not None and not member:
        connection.execute(text(f"GRANT {REGIONAL_READER} TO {quoted}"))


def run_migrations_offline():
    context.configure(url=str(engine().url), target_metadata=target_db.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def skip_empty_autogenerate(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    conf_args.setdefault("compare_type", True)
    conf_args.setdefault("include_object", include_object)
    with engine().connect() as connection:
        conf_args["render_as_batch"] = connection.dialect.name == "sqlite"
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            **conf_args,
        )
        with context.begin_transaction():
            context.run_migrations()
            grant_application_role(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
