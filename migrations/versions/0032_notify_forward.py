"""notifications of a freed place and of a proposal or comment forwarded to a person; a
proposal and a consultation comment remember the staff account they were forwarded to

Revision ID: 0032_notify_forward
Revises: 0031_notification_walls
Create Date: 2026-12-05 05:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0032_notify_forward'
down_revision = '0031_notification_walls'
branch_labels = None
depends_on = None

BEFORE = (
    'proposals_opened', 'consultation_opened', 'consultation_closing', 'new_contribution',
    'answered', 'registration_decided', 'adoption_returned',
)
AFTER = (*BEFORE, 'proposal_forwarded', 'place_freed')
TABLES = ('notifications', 'notification_preferences')


def _known_kinds(kinds):
    values = ', '.join(f"'{kind}'" for kind in kinds)
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'ck_{table}_known_kind'), type_='check')
            batch.create_check_constraint(op.f(f'ck_{table}_known_kind'), f'kind IN ({values})')


def upgrade():
    _known_kinds(AFTER)
    with op.batch_alter_table('programme_proposals') as batch:
        batch.add_column(sa.Column('forwarded_to_user_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f('fk_programme_proposals_forwarded_to_user_id_users'),
            'users', ['forwarded_to_user_id'], ['id'], ondelete='SET NULL',
        )
        batch.create_index(
            op.f('ix_programme_proposals_forwarded_to_user_id'), ['forwarded_to_user_id']
        )
    with op.batch_alter_table('programme_comments') as batch:
        batch.add_column(sa.Column('forwarded_to_user_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('forwarded_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            op.f('fk_programme_comments_forwarded_to_user_id_users'),
            'users', ['forwarded_to_user_id'], ['id'], ondelete='SET NULL',
        )
        batch.create_index(
            op.f('ix_programme_comments_forwarded_to_user_id'), ['forwarded_to_user_id']
        )


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind IN ('proposal_forwarded', 'place_freed')")
    op.execute(
        "DELETE FROM notification_preferences WHERE kind IN ('proposal_forwarded', 'place_freed')"
    )
    _known_kinds(BEFORE)
    with op.batch_alter_table('programme_comments') as batch:
        batch.drop_index(op.f('ix_programme_comments_forwarded_to_user_id'))
        batch.drop_constraint(
            op.f('fk_programme_comments_forwarded_to_user_id_users'), type_='foreignkey'
        )
        batch.drop_column('forwarded_at')
        batch.drop_column('forwarded_to_user_id')
    with op.batch_alter_table('programme_proposals') as batch:
        batch.drop_index(op.f('ix_programme_proposals_forwarded_to_user_id'))
        batch.drop_constraint(
            op.f('fk_programme_proposals_forwarded_to_user_id_users'), type_='foreignkey'
        )
        batch.drop_column('forwarded_to_user_id')
