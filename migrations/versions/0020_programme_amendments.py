"""amendments of an adopted programme and early closings of its windows

Revision ID: 0020_programme_amendments
Revises: 0019_staff_memberships
Create Date: 2026-11-23 09:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import protect, unprotect

revision = '0020_programme_amendments'
down_revision = '0019_staff_memberships'
branch_labels = None
depends_on = None

TABLES = ('programme_amendments', 'programme_early_closings')


def _owned(table: str) -> list:
    """The columns and constraints every tenant-owned row of a programme carries."""
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f(f'fk_{table}_programme_id_programmes'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f(f'fk_{table}_tenant_id_tenants'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def upgrade():
    op.create_table(
        'programme_amendments',
        *_owned('programme_amendments'),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('started_by_id', sa.Integer(), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('resolution_number', sa.String(length=100), nullable=True),
        sa.Column('resolution_date', sa.Date(), nullable=True),
        sa.CheckConstraint('(resolution_number IS NULL) = (resolution_date IS NULL)', name=op.f('ck_programme_amendments_resolution_whole')),
        sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_programme_amendments_started_by_id_users'), ondelete='SET NULL'),
        sa.UniqueConstraint('programme_id', 'number', name=op.f('uq_programme_amendments_programme_id_number')),
    )
    op.create_table(
        'programme_early_closings',
        *_owned('programme_early_closings'),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('proposals', 'consultation')", name=op.f('ck_programme_early_closings_known_kind')),
        sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_programme_early_closings_closed_by_id_users'), ondelete='SET NULL'),
        sa.UniqueConstraint('programme_id', 'kind', name=op.f('uq_programme_early_closings_programme_id_kind')),
    )
    for table in TABLES:
        op.create_index(op.f(f'ix_{table}_programme_id'), table, ['programme_id'], unique=False)
        op.create_index(op.f(f'ix_{table}_tenant_id'), table, ['tenant_id'], unique=False)
    protect(op, *TABLES)


def downgrade():
    unprotect(op, *TABLES)
    for table in reversed(TABLES):
        op.drop_table(table)
