"""optimistic locking of a team: several of the city's staff keep its people, over the
pages and the API alike, so each save states the version it started from

Revision ID: 0045_team_versions
Revises: 0044_webhooks
Create Date: 2026-11-30 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0045_team_versions"
down_revision = "0044_webhooks"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("teams") as batch:
        batch.add_column(
            sa.Column("lock_version", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade():
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("lock_version")
