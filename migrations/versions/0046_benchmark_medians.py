"""a registration records when it was archived, so that the benchmark of a past year counts
it in the years it was active (the regional reader may read the date); the platform
operator's national comparison reads the benchmark's medians per region, and the years it
offers, through two narrow SECURITY DEFINER functions

Revision ID: 0046_benchmark_medians
Revises: 0045_team_versions
Create Date: 2026-11-30 16:00:00

"""

import sqlalchemy as sa
from alembic import op

from app.tenancy.before_scope import BENCHMARK_READS
from app.tenancy.rls import REGIONAL_READER

revision = "0046_benchmark_medians"
down_revision = "0045_team_versions"
branch_labels = None
depends_on = None

# Columns the benchmark reads besides those granted before (REGIONAL_COLUMNS).
NEW_REGIONAL_COLUMNS = {"registrations": ("archived_at",)}

# A registration archived before its date was recorded: archived when the city's audit log
# last saw it become archived, else (archived from its creation: an import, the demo) when
# it began, so that it counts in no year, as before.
_FROM_THE_AUDIT_LOG = (
    "(SELECT max(a.created_at) FROM audit_log a WHERE a.entity = 'Registration' "
    "AND a.entity_id = registrations.id AND a.tenant_id = registrations.tenant_id "
    "AND a.changes -> 'status' ->> 1 = 'archived')"
)


def upgrade():
    op.add_column("registrations", sa.Column("archived_at", sa.DateTime(timezone=True)))
    postgresql = op.get_bind().dialect.name == "postgresql"
    dated = [_FROM_THE_AUDIT_LOG] if postgresql else []
    op.execute(
        "UPDATE registrations SET archived_at = "
        f"COALESCE({', '.join([*dated, 'decided_at', 'created_at'])}) "
        "WHERE status = 'archived'"
    )
    if not postgresql:
        return
    for table, columns in NEW_REGIONAL_COLUMNS.items():
        op.execute(f"GRANT SELECT ({', '.join(columns)}) ON {table} TO {REGIONAL_READER}")
    for read in BENCHMARK_READS:
        for statement in read.create_statements():
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for read in BENCHMARK_READS:
            op.execute(read.drop_statement())
        for table, columns in NEW_REGIONAL_COLUMNS.items():
            op.execute(f"REVOKE SELECT ({', '.join(columns)}) ON {table} FROM {REGIONAL_READER}")
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("archived_at")
