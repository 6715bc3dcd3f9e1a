"""an NGO's home reads its person's cities at once: the own-cities wall on the tables it reads
(programmes, their early closings and proposals, meetings, event registrations), open for
reading only while `app.visited_tenant_ids` lists cities, and only to the cities where the
person acts for an organisation

Revision ID: 0048_own_cities_read
Revises: 0047_public_benchmark
Create Date: 2026-11-30 16:00:00

"""
from alembic import op

from app.tenancy.before_scope import ACTOR_NGO_TENANTS
from app.tenancy.rls import (
    REGIONAL_READER,
    own_cities_read_statements,
    remove_own_cities_read_statements,
)

revision = "0048_own_cities_read"
down_revision = "0047_public_benchmark"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in ACTOR_NGO_TENANTS.create_statements():
        op.execute(statement)
    # env.py grants the application's role every function; the regional reader reads these
    # tables too, and PostgreSQL checks the right to call a policy's function even where the
    # empty setting makes it pointless.
    op.execute(
        f"GRANT EXECUTE ON FUNCTION {ACTOR_NGO_TENANTS.name}({ACTOR_NGO_TENANTS.types()}) "
        f"TO {REGIONAL_READER}"
    )
    for statement in own_cities_read_statements(ACTOR_NGO_TENANTS.name):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in remove_own_cities_read_statements():
        op.execute(statement)
    op.execute(ACTOR_NGO_TENANTS.drop_statement())
