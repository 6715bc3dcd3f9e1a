"""the coordinator's review over the API states the version of the city's declaration it
read: the regional reader may read an adoption's lock_version (never the city's notes)

Revision ID: 0043_api_regions
Revises: 0038_region_reports
Create Date: 2026-11-30 12:00:00

"""
from alembic import op

from app.tenancy.rls import REGIONAL_READER

revision = "0043_api_regions"
down_revision = "0042_org_versions"
branch_labels = None
depends_on = None

# Columns the reviews read besides those granted before (REGIONAL_COLUMNS).
NEW_REGIONAL_COLUMNS = {"adoptions": ("lock_version",)}


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, columns in NEW_REGIONAL_COLUMNS.items():
        op.execute(f"GRANT SELECT ({', '.join(columns)}) ON {table} TO {REGIONAL_READER}")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, columns in NEW_REGIONAL_COLUMNS.items():
        op.execute(f"REVOKE SELECT ({', '.join(columns)}) ON {table} FROM {REGIONAL_READER}")
