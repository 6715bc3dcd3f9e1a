"""a city's link to an organisation already in Razem waits for its representative: 'invited'

Revision ID: 0025_link_consent
Revises: 0024_registration_opt_in
Create Date: 2026-12-02 10:00:00

"""
from alembic import op

revision = '0025_link_consent'
down_revision = '0024_registration_opt_in'
branch_labels = None
depends_on = None

BEFORE = "status IN ('requested', 'active', 'archived', 'declined')"
AFTER = "status IN ('requested', 'invited', 'active', 'archived', 'declined')"


def _replace_check(condition: str) -> None:
    with op.batch_alter_table('registrations') as batch:
        batch.drop_constraint(op.f('ck_registrations_known_status'), type_='check')
        batch.create_check_constraint(op.f('ck_registrations_known_status'), condition)


def upgrade():
    _replace_check(AFTER)


def downgrade():
    # Invitations nobody answered are withdrawn: the old schema cannot hold them.
    op.execute("UPDATE registrations SET status = 'archived' WHERE status = 'invited'")
    _replace_check(BEFORE)
