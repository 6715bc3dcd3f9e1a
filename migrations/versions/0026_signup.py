"""ways in: self-service sign-up, claims to act for an organisation, the law's pages

Revision ID: 0026_signup
Revises: 0025_link_consent
Create Date: 2026-12-03 10:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import protect, unprotect

revision = '0026_signup'
down_revision = '0025_link_consent'
branch_labels = None
depends_on = None

CLAIM_STATUSES = "status IN ('pending', 'accepted', 'refused')"


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(
            sa.Column('email_confirmed', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table('tenants') as batch:
        batch.add_column(sa.Column('office', sa.JSON(), server_default='{}', nullable=False))
        batch.add_column(sa.Column('accessibility', sa.JSON(), server_default='{}', nullable=False))

    op.create_table(
        'organisation_claims',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('claimant_id', sa.Integer(), nullable=False),
        sa.Column('function', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('deciding_tenant_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.CheckConstraint(CLAIM_STATUSES, name=op.f('ck_organisation_claims_known_status')),
        sa.ForeignKeyConstraint(['claimant_id'], ['users.id'], name=op.f('fk_organisation_claims_claimant_id_users'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_organisation_claims_decided_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['deciding_tenant_id'], ['tenants.id'], name=op.f('fk_organisation_claims_deciding_tenant_id_tenants')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_claims_organisation_id_organisations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_claims')),
    )
    op.create_index(op.f('ix_organisation_claims_claimant_id'), 'organisation_claims', ['claimant_id'])
    op.create_index(op.f('ix_organisation_claims_deciding_tenant_id'), 'organisation_claims', ['deciding_tenant_id'])
    op.create_index(op.f('ix_organisation_claims_organisation_id'), 'organisation_claims', ['organisation_id'])
    op.create_index(
        'uq_organisation_claims_one_pending',
        'organisation_claims',
        ['organisation_id', 'claimant_id'],
        unique=True,
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    )

    op.create_table(
        'claim_reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('claim_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.CheckConstraint(CLAIM_STATUSES, name=op.f('ck_claim_reviews_known_status')),
        sa.ForeignKeyConstraint(['claim_id'], ['organisation_claims.id'], name=op.f('fk_claim_reviews_claim_id_organisation_claims'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_claim_reviews_decided_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_claim_reviews_tenant_id_tenants'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_reviews')),
        sa.UniqueConstraint('claim_id', name=op.f('uq_claim_reviews_claim_id')),
    )
    op.create_index(op.f('ix_claim_reviews_tenant_id'), 'claim_reviews', ['tenant_id'])

    op.create_table(
        'legal_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=True),
        sa.Column('revised_on', sa.Date(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('lock_version', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('privacy_clause', 'privacy_policy', 'accessibility_statement')",
            name=op.f('ck_legal_texts_known_kind'),
        ),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_legal_texts_tenant_id_tenants'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_legal_texts_updated_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_texts')),
        sa.UniqueConstraint('tenant_id', 'kind', name=op.f('uq_legal_texts_tenant_id_kind')),
    )
    op.create_index(op.f('ix_legal_texts_tenant_id'), 'legal_texts', ['tenant_id'])
    protect(op, 'claim_reviews', 'legal_texts')


def downgrade():
    unprotect(op, 'claim_reviews', 'legal_texts')
    op.drop_table('legal_texts')
    op.drop_table('claim_reviews')
    op.drop_index('uq_organisation_claims_one_pending', table_name='organisation_claims')
    op.drop_table('organisation_claims')
    with op.batch_alter_table('tenants') as batch:
        batch.drop_column('accessibility')
        batch.drop_column('office')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('email_confirmed')
