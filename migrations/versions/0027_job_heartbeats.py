"""jobs that cannot be lost or doubled: a heartbeat of the run in progress

Revision ID: 0027_job_heartbeats
Revises: 0026_signup
Create Date: 2026-11-30 02:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0027_job_heartbeats"
down_revision = "0026_signup"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("heartbeat_at")
