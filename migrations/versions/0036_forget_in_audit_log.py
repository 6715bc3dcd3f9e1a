"""an erased account's name and address replaced in the append-only audit log, through one
narrow SECURITY DEFINER function that the erasure calls in each city

Revision ID: 0036_forget_in_audit_log
Revises: 0035_region_drill_down
Create Date: 2026-11-30 09:00:00

"""
from alembic import op

from app.tenancy.before_scope import FORGET_IN_AUDIT_LOG

revision = '0036_forget_in_audit_log'
down_revision = '0035_region_drill_down'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in FORGET_IN_AUDIT_LOG.create_statements():
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(FORGET_IN_AUDIT_LOG.drop_statement())
