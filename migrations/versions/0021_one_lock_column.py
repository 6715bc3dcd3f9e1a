"""one name for the optimistic lock of every shared record: lock_version

Revision ID: 0021_one_lock_column
Revises: 0020_programme_amendments
Create Date: 2026-11-29 20:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0021_one_lock_column'
down_revision = '0020_programme_amendments'
branch_labels = None
depends_on = None

RENAMED = {
    'meetings': 'version',
    'programmes': 'version',
    'standards_projects': 'version',
    'adoptions': 'version_id',
}


def upgrade():
    for table, column in RENAMED.items():
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column, new_column_name='lock_version', existing_type=sa.Integer(), nullable=False
            )


def downgrade():
    for table, column in RENAMED.items():
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                'lock_version', new_column_name=column, existing_type=sa.Integer(), nullable=True
            )
