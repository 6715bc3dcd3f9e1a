"""people and places found by an e-mail address whatever its case, by an index of it: a login
and a person's places at meetings read every user or every registration

Revision ID: 0052_email_lookups
Revises: 0051_unread_notifications
Create Date: 2026-12-01 02:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0052_email_lookups"
down_revision = "0051_unread_notifications"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_users_lower_email": "users",
    "ix_event_registrations_lower_email": "event_registrations",
}


def upgrade():
    for name, table in INDEXES.items():
        op.create_index(name, table, [sa.text("lower(email)")])


def downgrade():
    for name, table in INDEXES.items():
        op.drop_index(name, table_name=table)
