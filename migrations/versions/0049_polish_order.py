"""the directory lists organisations in Polish alphabetical order: each registration's copy of
its organisation's name (0039) is the name itself, not the name folded to ASCII letters, which
sorted Łódź among the L's; on PostgreSQL the copy is compared by ICU's Polish collation, so the
index that reads a page of the directory keeps serving the order (SQLite, the embedded
default, is told the order in the query: app/collation.py)

Revision ID: 0049_polish_order
Revises: 0048_own_cities_read
Create Date: 2026-11-30 23:00:00

"""

from alembic import op

revision = "0049_polish_order"
down_revision = "0048_own_cities_read"
branch_labels = None
depends_on = None


def upgrade():
    _copy("name", collation="pl-x-icu")


def downgrade():
    _copy("search_name", collation="default")


def _copy(source: str, collation: str) -> None:
    """Registrations copy their organisation's `source` column, now and on every change."""
    if op.get_bind().dialect.name == "postgresql":
        _copy_on_postgresql(source, collation)
    else:
        _copy_on_sqlite(source)
    op.execute(
        f"UPDATE registrations SET sort_name = (SELECT {source} FROM organisations "
        "WHERE organisations.id = registrations.organisation_id)"
    )


def _copy_on_postgresql(source: str, collation: str) -> None:
    # the index on sort_name is rebuilt in the column's new collation
    op.execute(
        f'ALTER TABLE registrations ALTER COLUMN sort_name TYPE varchar(450) COLLATE "{collation}"'
    )
    op.execute(
        f"""CREATE OR REPLACE FUNCTION razem_registration_takes_name() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.sort_name := (SELECT {source} FROM organisations WHERE id = NEW.organisation_id);
            RETURN NEW;
        END $$"""
    )
    op.execute(
        f"""CREATE OR REPLACE FUNCTION razem_registrations_follow_name() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
            UPDATE registrations SET sort_name = NEW.{source} WHERE organisation_id = NEW.id;
            RETURN NULL;
        END $$"""
    )
    op.execute("DROP TRIGGER registrations_follow_name ON organisations")
    op.execute(
        f"""CREATE TRIGGER registrations_follow_name AFTER UPDATE OF {source} ON organisations
        FOR EACH ROW WHEN (OLD.{source} IS DISTINCT FROM NEW.{source})
        EXECUTE FUNCTION razem_registrations_follow_name()"""
    )


def _copy_on_sqlite(source: str) -> None:
    op.execute("DROP TRIGGER registration_takes_name")
    op.execute(
        f"""CREATE TRIGGER registration_takes_name AFTER INSERT ON registrations
        BEGIN
            UPDATE registrations SET sort_name =
                (SELECT {source} FROM organisations WHERE id = NEW.organisation_id)
            WHERE id = NEW.id;
        END"""
    )
    op.execute("DROP TRIGGER registrations_follow_name")
    op.execute(
        f"""CREATE TRIGGER registrations_follow_name AFTER UPDATE OF {source} ON organisations
        WHEN OLD.{source} IS NOT NEW.{source}
        BEGIN
            UPDATE registrations SET sort_name = NEW.{source} WHERE organisation_id = NEW.id;
        END"""
    )
