"""the second wall without gaps: registrations, memberships, jobs and API tokens behind
row-level security, each readable by its own person across cities ("personal walls"), and
the few reads made before a person or a city is known through SECURITY DEFINER functions

Revision ID: 0029_personal_walls
Revises: 0028_reliable_jobs
Create Date: 2026-12-04 10:00:00

"""
from alembic import op

from app.tenancy.before_scope import ACTOR_ORGANISATIONS, PERSONAL_WALL_READS
from app.tenancy.rls import (
    REGIONAL_READER,
    personal_wall_statements,
    remove_personal_wall_statements,
)

revision = '0029_personal_walls'
down_revision = '0028_reliable_jobs'
branch_labels = None
depends_on = None

# The walls of rls.PERSONAL_WALLS this migration built (0030 built the rest).
TABLES = ("memberships", "registrations", "jobs", "api_tokens")


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    # The functions run as this role and must read past the walls: as the tables' owner it
    # has BYPASSRLS (deploy/postgres/init.sql), or they would find no token and no job.
    bypasses = op.get_bind().exec_driver_sql(
        "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).scalar()
    if not bypasses:
        raise RuntimeError(
            "The role running the migrations needs BYPASSRLS (deploy/postgres/init.sql): "
            "the SECURITY DEFINER functions of app/tenancy/before_scope.py run as it."
        )
    # The functions first: the registrations' personal wall asks one of them. Owned by the
    # role running the migrations (the tables' owner); env.py grants the application's role
    # EXECUTE, and the regional reader needs the one its policy calls.
    for read in PERSONAL_WALL_READS:
        for statement in read.create_statements():
            op.execute(statement)
    op.execute(
        f"GRANT EXECUTE ON FUNCTION {ACTOR_ORGANISATIONS.name}({ACTOR_ORGANISATIONS.types()}) "
        f"TO {REGIONAL_READER}"
    )
    for table in TABLES:
        for statement in personal_wall_statements(table):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in TABLES:
        for statement in remove_personal_wall_statements(table):
            op.execute(statement)
    for read in PERSONAL_WALL_READS:
        op.execute(read.drop_statement())
