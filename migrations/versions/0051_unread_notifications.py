"""the person's unread notifications by an index of their own: every signed-in page's header
counts them, and the count read every notification the person ever had

Revision ID: 0051_unread_notifications
Revises: 0050_polish_collation
Create Date: 2026-12-01 01:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0051_unread_notifications"
down_revision = "0050_polish_collation"
branch_labels = None
depends_on = None

UNREAD = "read_at IS NULL"


def upgrade():
    op.create_index(
        "ix_notifications_unread",
        "notifications",
        ["user_id"],
        postgresql_where=sa.text(UNREAD),
        sqlite_where=sa.text(UNREAD),
    )


def downgrade():
    op.drop_index("ix_notifications_unread", table_name="notifications")
