"""adoption revision of a standards project (the key of its cached matrix)

Revision ID: 0017_adoption_revision
Revises: 0016_policies_once
Create Date: 2026-11-22 10:05:00

"""
from uuid import uuid4

import sqlalchemy as sa
from alembic import op

revision = '0017_adoption_revision'
down_revision = '0016_policies_once'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('standards_projects') as batch:
        batch.add_column(
            sa.Column('adoption_revision', sa.String(length=32), nullable=False, server_default='')
        )
    projects = sa.table('standards_projects', sa.column('id'), sa.column('adoption_revision'))
    connection = op.get_bind()
    for (project_id,) in connection.execute(sa.select(projects.c.id)).all():
        connection.execute(
            projects.update()
            .where(projects.c.id == project_id)
            .values(adoption_revision=uuid4().hex)
        )


def downgrade():
    with op.batch_alter_table('standards_projects') as batch:
        batch.drop_column('adoption_revision')
