"""memberships and invitations hold staff roles only: NGO access follows the organisation

Revision ID: 0019_staff_memberships
Revises: 0018_adoption_evidence_file
Create Date: 2026-11-24 10:00:00

An "ngo" membership gave NGO access in a city whether or not the person's organisation was
active there, and the members page offered it a staff-role select. NGO access is derived
from an active registration of one of the person's organisations (a role source), so such
memberships are dropped; the people keep exactly the access their organisations give.
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_staff_memberships'
down_revision = '0018_adoption_evidence_file'
branch_labels = None
depends_on = None

STAFF = "role IN ('admin', 'staff', 'viewer')"
ALL = "role IN ('admin', 'staff', 'ngo', 'viewer')"


def _delete_ngo_invitations(connection):
    invitations = sa.table('invitations', sa.column('role'))
    if connection.dialect.name != 'postgresql':
        connection.execute(invitations.delete().where(invitations.c.role == 'ngo'))
        return
    # Invitations sit behind row-level security: delete them tenant by tenant.
    for (tenant_id,) in connection.execute(sa.text('SELECT id FROM tenants')).all():
        connection.execute(
            sa.text("SELECT set_config('app.tenant_id', :id, true)"), {'id': str(tenant_id)}
        )
        connection.execute(invitations.delete().where(invitations.c.role == 'ngo'))
    connection.execute(sa.text("SELECT set_config('app.tenant_id', '', true)"))


def upgrade():
    connection = op.get_bind()
    memberships = sa.table('memberships', sa.column('role'))
    connection.execute(memberships.delete().where(memberships.c.role == 'ngo'))
    _delete_ngo_invitations(connection)
    for table in ('memberships', 'invitations'):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'ck_{table}_known_role'), type_='check')
            batch.create_check_constraint('known_role', STAFF)


def downgrade():
    for table in ('memberships', 'invitations'):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'ck_{table}_known_role'), type_='check')
            batch.create_check_constraint('known_role', ALL)
