"""the Polish forms of each tenant's name (genitive, locative, office), from tenants/*.toml

Revision ID: 0034_tenant_name_forms
Revises: 0033_data_in_and_out
Create Date: 2026-12-05 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0034_tenant_name_forms'
down_revision = "0033_data_in_and_out"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tenants') as batch:
        batch.add_column(sa.Column('name_forms', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('tenants') as batch:
        batch.drop_column('name_forms')
