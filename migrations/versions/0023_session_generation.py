"""sessions that end: a per-user session generation; API tokens expire

Revision ID: 0023_session_generation
Revises: 0022_rls_second_wall
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0023_session_generation'
down_revision = '0022_rls_second_wall'
branch_labels = None
depends_on = None

# Tokens issued before expiry existed get the default lifetime, counted from now.
TOKEN_LIFETIME_DAYS = 90


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(
            sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False)
        )
    api_tokens = sa.table('api_tokens', sa.column('expires_at', sa.DateTime(timezone=True)))
    expiry = sa.func.now() + sa.text(f"interval '{TOKEN_LIFETIME_DAYS} days'")
    if op.get_bind().dialect.name != 'postgresql':
        expiry = sa.func.datetime('now', f'+{TOKEN_LIFETIME_DAYS} days')
    op.execute(api_tokens.update().where(api_tokens.c.expires_at.is_(None)).values(expires_at=expiry))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_generation')
