"""the second wall without gaps: a regional read sees the columns the regional pages read,
of the region's cities, as a role that writes nothing; jobs keep the roles that started them

Revision ID: 0022_rls_second_wall
Revises: 0021_one_lock_column
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import READABLE_TENANTS, REGIONAL_READER, regional_read_statements

revision = '0022_rls_second_wall'
down_revision = '0021_one_lock_column'
branch_labels = None
depends_on = None


def _tables_with(policy: str) -> list[str]:
    rows = op.get_bind().exec_driver_sql(
        f"SELECT tablename FROM pg_policies WHERE policyname = '{policy}' ORDER BY 1"
    )
    return [row[0] for row in rows]


def upgrade():
    _add_job_access()
    if op.get_bind().dialect.name != 'postgresql':
        return
    # deploy/postgres/init.sql creates the role where the owner may not create roles.
    op.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{REGIONAL_READER}') "
        f"THEN CREATE ROLE {REGIONAL_READER} NOLOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$"
    )
    for table in _tables_with('regional_read'):
        op.execute(f"DROP POLICY regional_read ON {table}")
    # the tables and columns of later revisions are granted by those revisions
    inspector = sa.inspect(op.get_bind())
    existing = {
        table: {column['name'] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
    }
    for statement in regional_read_statements(existing, existing):
        op.execute(statement)


def _add_job_access():
    with op.batch_alter_table('jobs') as batch:
        batch.add_column(sa.Column('roles', sa.JSON(), server_default='[]', nullable=False))
        batch.add_column(
            sa.Column('region_id', sa.Integer(), sa.ForeignKey('regions.id'), nullable=True)
        )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in _tables_with('regional_read'):
            op.execute(f"DROP POLICY regional_read ON {table}")
        op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {REGIONAL_READER}")
        for table in _tables_with('tenant_isolation'):
            op.execute(
                f"CREATE POLICY regional_read ON {table} FOR SELECT "
                f"USING (tenant_id IN {READABLE_TENANTS})"
            )
    with op.batch_alter_table('jobs') as batch:
        batch.drop_column('region_id')
        batch.drop_column('roles')
