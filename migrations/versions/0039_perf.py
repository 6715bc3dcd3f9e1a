"""the directory sorts by a copy of the organisation's folded name on its registrations, so
that a page of a city's register, however deep, is read from one index instead of sorting a
join of the whole city; triggers keep the copy: a new registration takes its organisation's
name, and a renamed organisation's registrations in every city take the new one (through a
SECURITY DEFINER function that writes that one column, as a city's session may not write
another city's rows)

Revision ID: 0039_perf
Revises: 0038_region_reports
Create Date: 2026-12-08 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0039_perf"
down_revision = "0038_region_reports"
branch_labels = None
depends_on = None

POSTGRESQL = [
    """CREATE FUNCTION razem_registration_takes_name() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.sort_name := (SELECT search_name FROM organisations WHERE id = NEW.organisation_id);
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER registration_takes_name BEFORE INSERT OR UPDATE OF organisation_id
    ON registrations FOR EACH ROW EXECUTE FUNCTION razem_registration_takes_name()""",
    """CREATE FUNCTION razem_registrations_follow_name() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        UPDATE registrations SET sort_name = NEW.search_name WHERE organisation_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER registrations_follow_name AFTER UPDATE OF search_name ON organisations
    FOR EACH ROW WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name)
    EXECUTE FUNCTION razem_registrations_follow_name()""",
]
SQLITE = [
    """CREATE TRIGGER registration_takes_name AFTER INSERT ON registrations
    BEGIN
        UPDATE registrations SET sort_name =
            (SELECT search_name FROM organisations WHERE id = NEW.organisation_id)
        WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER registrations_follow_name AFTER UPDATE OF search_name ON organisations
    WHEN OLD.search_name IS NOT NEW.search_name
    BEGIN
        UPDATE registrations SET sort_name = NEW.search_name WHERE organisation_id = NEW.id;
    END""",
]


def upgrade():
    with op.batch_alter_table("registrations") as batch:
        batch.add_column(
            sa.Column("sort_name", sa.String(length=450), server_default="", nullable=False)
        )
    op.execute(
        "UPDATE registrations SET sort_name = "
        "(SELECT search_name FROM organisations "
        "WHERE organisations.id = registrations.organisation_id)"
    )
    # organisation_id too, which the registrations' personal wall reads: so that a page's
    # ids are read from the index alone, without visiting the table (PostgreSQL)
    op.create_index(
        "ix_registrations_directory",
        "registrations",
        ["tenant_id", "status", "sort_name", "id"],
        postgresql_include=["organisation_id"],
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)
    if postgresql:
        op.execute("REVOKE ALL ON FUNCTION razem_registrations_follow_name() FROM PUBLIC")
        op.execute("ANALYZE registrations")


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS registrations_follow_name" + _on("organisations"))
    op.execute("DROP TRIGGER IF EXISTS registration_takes_name" + _on("registrations"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS razem_registrations_follow_name()")
        op.execute("DROP FUNCTION IF EXISTS razem_registration_takes_name()")
    op.drop_index("ix_registrations_directory", table_name="registrations")
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("sort_name")


def _on(table: str) -> str:
    return f" ON {table}" if op.get_bind().dialect.name == "postgresql" else ""
