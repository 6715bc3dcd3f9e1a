"""double opt-in of event registrations from addresses the city does not know

Revision ID: 0024_registration_opt_in
Revises: 0023_session_generation
Create Date: 2026-11-29 21:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0024_registration_opt_in'
down_revision = '0023_session_generation'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event_registrations') as batch:
        batch.add_column(sa.Column('confirm_token_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('confirm_by', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch.create_unique_constraint(
            'uq_event_registrations_confirm_token_hash', ['confirm_token_hash']
        )
        batch.drop_constraint('known_status', type_='check')
        batch.create_check_constraint(
            'known_status', "status IN ('unconfirmed', 'confirmed', 'waiting', 'cancelled')"
        )


def downgrade():
    op.execute("DELETE FROM event_registrations WHERE status = 'unconfirmed'")
    with op.batch_alter_table('event_registrations') as batch:
        batch.drop_constraint('known_status', type_='check')
        batch.create_check_constraint(
            'known_status', "status IN ('confirmed', 'waiting', 'cancelled')"
        )
        batch.drop_constraint('uq_event_registrations_confirm_token_hash', type_='unique')
        batch.drop_column('email_confirmed_at')
        batch.drop_column('confirm_by')
        batch.drop_column('confirm_token_hash')
