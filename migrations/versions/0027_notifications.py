"""notifications: in Razem and by e-mail, per-person choices, one daily digest

Revision ID: 0027_notifications
Revises: 0026_signup
Create Date: 2026-11-30 02:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.notifications.catalogue import DELIVERY_VALUES, KIND_VALUES

revision = '0027_notifications'
down_revision = '0026_signup'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('title', sa.String(length=500), nullable=False),
        sa.Column('link', sa.String(length=1000), nullable=False),
        sa.Column('delivery', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f'kind IN ({KIND_VALUES})', name=op.f('ck_notifications_known_kind')),
        sa.CheckConstraint(f'delivery IN ({DELIVERY_VALUES})', name=op.f('ck_notifications_known_delivery')),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_notifications_tenant_id_tenants'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
        sa.UniqueConstraint('user_id', 'key', name=op.f('uq_notifications_user_id_key')),
    )
    op.create_index('ix_notifications_user_created', 'notifications', ['user_id', 'created_at'])
    op.create_table(
        'notification_preferences',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('delivery', sa.String(length=16), nullable=False),
        sa.CheckConstraint(f'kind IN ({KIND_VALUES})', name=op.f('ck_notification_preferences_known_kind')),
        sa.CheckConstraint(f'delivery IN ({DELIVERY_VALUES})', name=op.f('ck_notification_preferences_known_delivery')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
        sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preferences_user_id_kind')),
    )
    op.create_table(
        'notification_digests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_digests_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_digests')),
        sa.UniqueConstraint('user_id', 'day', name=op.f('uq_notification_digests_user_id_day')),
    )


def downgrade():
    op.drop_table('notification_digests')
    op.drop_table('notification_preferences')
    op.drop_index('ix_notifications_user_created', table_name='notifications')
    op.drop_table('notifications')
