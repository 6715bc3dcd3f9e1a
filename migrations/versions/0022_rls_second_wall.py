"""the second wall without gaps: jobs keep the roles that started them

Revision ID: 0022_rls_second_wall
Revises: 0021_one_lock_column
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0022_rls_second_wall'
down_revision = '0021_one_lock_column'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs') as batch:
        batch.add_column(sa.Column('roles', sa.JSON(), server_default='[]', nullable=False))
        batch.add_column(
            sa.Column('region_id', sa.Integer(), sa.ForeignKey('regions.id'), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('jobs') as batch:
        batch.drop_column('region_id')
        batch.drop_column('roles')
