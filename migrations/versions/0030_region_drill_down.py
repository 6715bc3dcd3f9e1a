"""the region, deeper: the coordinator reads a city's adoption history and review comments
(who, when, what was said) through the regional reader, and sets a target date per standard

Revision ID: 0030_region_drill_down
Revises: 0029_personal_walls
Create Date: 2026-12-05 10:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import REGIONAL_READER

revision = '0030_region_drill_down'
down_revision = '0029_personal_walls'
branch_labels = None
depends_on = None

# Columns the drill-down from the matrix reads besides those of 0022 (REGIONAL_COLUMNS).
NEW_REGIONAL_COLUMNS = {
    "adoptions": ("review_comment",),
    "adoption_changes": ("review_status", "comment", "user_id"),
}


def upgrade():
    op.add_column('standards', sa.Column('target_date', sa.Date(), nullable=True))
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, columns in NEW_REGIONAL_COLUMNS.items():
        op.execute(f"GRANT SELECT ({', '.join(columns)}) ON {table} TO {REGIONAL_READER}")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table, columns in NEW_REGIONAL_COLUMNS.items():
            op.execute(f"REVOKE SELECT ({', '.join(columns)}) ON {table} FROM {REGIONAL_READER}")
    with op.batch_alter_table('standards') as batch:
        batch.drop_column('target_date')
