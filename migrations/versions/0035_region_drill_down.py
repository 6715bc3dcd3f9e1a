"""the region, deeper: the coordinator reads a city's adoption history and review comments
(who, when, what was said) through the regional reader, and sets a target date per standard

Revision ID: 0035_region_drill_down
Revises: 0034_tenant_name_forms
Create Date: 2026-12-05 10:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.notifications.catalogue import KIND_VALUES
from app.tenancy.rls import REGIONAL_READER

revision = '0035_region_drill_down'
down_revision = '0034_tenant_name_forms'
branch_labels = None
depends_on = None

# Columns the drill-down from the matrix reads besides those of 0022 (REGIONAL_COLUMNS).
NEW_REGIONAL_COLUMNS = {
    "adoptions": ("review_comment",),
    "adoption_changes": ("review_status", "comment", "user_id"),
}


KINDS_BEFORE = KIND_VALUES.replace(", 'standard_target_near'", "")
KIND_TABLES = {
    'notifications': 'ck_notifications_known_kind',
    'notification_preferences': 'ck_notification_preferences_known_kind',
}


def _known_kinds(values: str) -> None:
    for table, constraint in KIND_TABLES.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(constraint), type_='check')
            batch.create_check_constraint(op.f(constraint), f'kind IN ({values})')


def upgrade():
    op.add_column('standards', sa.Column('target_date', sa.Date(), nullable=True))
    op.create_table(
        'standard_target_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('standard_id', sa.Integer(), nullable=False),
        sa.Column('target_date', sa.Date(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_standard_target_changes_standard_id_standards'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_standard_target_changes_user_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_target_changes')),
    )
    op.create_index(op.f('ix_standard_target_changes_standard_id'), 'standard_target_changes', ['standard_id'])
    _known_kinds(KIND_VALUES)
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, columns in NEW_REGIONAL_COLUMNS.items():
        op.execute(f"GRANT SELECT ({', '.join(columns)}) ON {table} TO {REGIONAL_READER}")


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind = 'standard_target_near'")
    op.execute("DELETE FROM notification_preferences WHERE kind = 'standard_target_near'")
    _known_kinds(KINDS_BEFORE)
    op.drop_index(op.f('ix_standard_target_changes_standard_id'), table_name='standard_target_changes')
    op.drop_table('standard_target_changes')
    if op.get_bind().dialect.name == 'postgresql':
        for table, columns in NEW_REGIONAL_COLUMNS.items():
            op.execute(f"REVOKE SELECT ({', '.join(columns)}) ON {table} FROM {REGIONAL_READER}")
    with op.batch_alter_table('standards') as batch:
        batch.drop_column('target_date')
