"""the benchmark reconstructs a past year's NGOs per 10,000 residents from when each
registration began: the regional reader may read a registration's dates (never who asked
or decided, nor the contacts)

Revision ID: 0040_trends
Revises: 0038_region_reports
Create Date: 2026-12-08 09:00:00

"""

from alembic import op

from app.tenancy.rls import REGIONAL_READER

revision = "0040_trends"
down_revision = "0039_perf"
branch_labels = None
depends_on = None

# Columns the benchmark's past years read besides those granted before (REGIONAL_COLUMNS).
NEW_REGIONAL_COLUMNS = {"registrations": ("decided_at", "created_at")}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in NEW_REGIONAL_COLUMNS.items():
        op.execute(f"GRANT SELECT ({', '.join(columns)}) ON {table} TO {REGIONAL_READER}")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in NEW_REGIONAL_COLUMNS.items():
        op.execute(f"REVOKE SELECT ({', '.join(columns)}) ON {table} FROM {REGIONAL_READER}")
