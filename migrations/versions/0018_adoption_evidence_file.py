"""a document as the evidence of a city's adoption

Revision ID: 0018_adoption_evidence_file
Revises: 0017_adoption_revision
Create Date: 2026-11-22 11:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0018_adoption_evidence_file'
down_revision = '0017_adoption_revision'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('adoptions') as batch:
        batch.add_column(sa.Column('evidence_file_key', sa.String(length=500), nullable=True))
        batch.add_column(sa.Column('evidence_file_name', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('adoptions') as batch:
        batch.drop_column('evidence_file_name')
        batch.drop_column('evidence_file_key')
