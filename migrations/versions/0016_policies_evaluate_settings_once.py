"""row-level security policies read their settings once per query

Revision ID: 0016_policies_once
Revises: 0015_standardisation_groups
Create Date: 2026-11-22 03:10:00

"""
from alembic import op

from app.tenancy.rls import policy_statements

revision = '0016_policies_once'
down_revision = '0015_standardisation_groups'
branch_labels = None
depends_on = None


def _protected_tables() -> list[str]:
    rows = op.get_bind().exec_driver_sql(
        "SELECT tablename FROM pg_policies WHERE policyname = 'tenant_isolation' ORDER BY 1"
    )
    return [row[0] for row in rows]


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in _protected_tables():
        for statement in policy_statements(table):
            op.execute(statement)


def downgrade():
    # The policies before this revision mean the same, only slower: nothing to undo.
    pass
