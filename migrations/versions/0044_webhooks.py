"""webhooks: a city's subscriptions of its own systems to Razem's events, and each event's
delivery to each (one per subscription and event), both behind the city's wall

Revision ID: 0044_webhooks
Revises: 0038_region_reports
Create Date: 2026-12-08 09:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import protect, unprotect

revision = "0044_webhooks"
down_revision = "0043_api_regions"
branch_labels = None
depends_on = None

SUBSCRIPTIONS = 'webhook_subscriptions'
DELIVERIES = 'webhook_deliveries'


def upgrade():
    op.create_table(
        SUBSCRIPTIONS,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('secret', sa.String(length=100), nullable=False),
        sa.Column('description', sa.String(length=300), server_default='', nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('lock_version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_webhook_subscriptions_tenant_id_tenants'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_webhook_subscriptions_created_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_subscriptions')),
    )
    op.create_index(op.f('ix_webhook_subscriptions_tenant_id'), SUBSCRIPTIONS, ['tenant_id'])
    op.create_table(
        DELIVERIES,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('event_kind', sa.String(length=40), nullable=False),
        sa.Column('event_id', sa.String(length=200), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_status', sa.Integer(), nullable=True),
        sa.Column('last_response', sa.String(length=500), server_default='', nullable=False),
        sa.Column('attempt_log', sa.JSON(), server_default='[]', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('gave_up_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_webhook_deliveries_tenant_id_tenants'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['subscription_id'], [f'{SUBSCRIPTIONS}.id'], name=op.f('fk_webhook_deliveries_subscription_id_webhook_subscriptions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
        sa.UniqueConstraint('subscription_id', 'event_id', name=op.f('uq_webhook_deliveries_subscription_id_event_id')),
    )
    op.create_index(op.f('ix_webhook_deliveries_tenant_id'), DELIVERIES, ['tenant_id'])
    op.create_index(op.f('ix_webhook_deliveries_subscription_id'), DELIVERIES, ['subscription_id'])
    protect(op, SUBSCRIPTIONS, DELIVERIES)


def downgrade():
    unprotect(op, DELIVERIES, SUBSCRIPTIONS)
    op.drop_table(DELIVERIES)
    op.drop_table(SUBSCRIPTIONS)
