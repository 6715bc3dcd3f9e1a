"""optimistic locking of an organisation's profile and of a city's registration of it:
both are edited by several people (the organisation's representatives and editors; the
city's staff), so each save states the version it started from

Revision ID: 0042_org_versions
Revises: 0038_region_reports
Create Date: 2026-11-30 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0042_org_versions"
down_revision = "0041_voivodeship"
branch_labels = None
depends_on = None

VERSIONED = ("organisations", "registrations")


def upgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("lock_version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("lock_version")
