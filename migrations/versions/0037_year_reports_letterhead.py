"""the report on each year of a multi-year programme (art. 5a ust. 3), filed by the city's
office, withdrawn rather than deleted; the region's benchmark reads when each was published.
Each tenant's letterhead (tenants/*.toml): the lines and coat of arms atop its documents

Revision ID: 0037_year_reports_letterhead
Revises: 0036_forget_in_audit_log
Create Date: 2026-12-06 09:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import protect, regional_read_statements, unprotect

revision = '0037_year_reports_letterhead'
down_revision = '0036_forget_in_audit_log'
branch_labels = None
depends_on = None

TABLE = 'programme_year_reports'


def upgrade():
    with op.batch_alter_table('tenants') as batch:
        batch.add_column(sa.Column('letterhead', sa.JSON(), server_default='{}', nullable=False))
    op.create_table(
        TABLE,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('submitted_on', sa.Date(), nullable=True),
        sa.Column('published_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('document_key', sa.String(length=500), nullable=True),
        sa.Column('document_name', sa.String(length=200), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('lock_version', sa.Integer(), nullable=False),
        sa.CheckConstraint('submitted_on IS NULL OR submitted_on <= published_on', name=op.f('ck_programme_year_reports_dates_in_order')),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_year_reports_programme_id_programmes'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_programme_year_reports_tenant_id_tenants'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_programme_year_reports_recorded_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_year_reports')),
    )
    op.create_index(op.f('ix_programme_year_reports_programme_id'), TABLE, ['programme_id'])
    op.create_index(op.f('ix_programme_year_reports_tenant_id'), TABLE, ['tenant_id'])
    op.create_index(
        'uq_programme_year_reports_programme_id_year',
        TABLE,
        ['programme_id', 'year'],
        unique=True,
        postgresql_where=sa.text('deleted_at IS NULL'),
        sqlite_where=sa.text('deleted_at IS NULL'),
    )
    protect(op, TABLE)
    if op.get_bind().dialect.name == 'postgresql':
        # the region's benchmark reads whether a city published the report on a year in time
        for statement in regional_read_statements([TABLE]):
            op.execute(statement)


def downgrade():
    unprotect(op, TABLE)  # the grants go with the table
    op.drop_index('uq_programme_year_reports_programme_id_year', table_name=TABLE)
    op.drop_index(op.f('ix_programme_year_reports_tenant_id'), table_name=TABLE)
    op.drop_index(op.f('ix_programme_year_reports_programme_id'), table_name=TABLE)
    op.drop_table(TABLE)
    with op.batch_alter_table('tenants') as batch:
        batch.drop_column('letterhead')
