"""the reads made before a scope (app/tenancy/before_scope.py) in PL/pgSQL, which keeps a
body's plan for the connection: the walls' policies ask two of them in every statement on
their tables, and PostgreSQL planned a SQL function's body again at each call

Revision ID: 0053_definer_reads_planned_once
Revises: 0052_email_lookups
Create Date: 2026-12-02 14:00:00

"""
from dataclasses import replace

from alembic import op

from app.tenancy.before_scope import DEFINER_READS

revision = "0053_definer_reads_planned_once"
down_revision = "0052_email_lookups"
branch_labels = None
depends_on = None


def upgrade():
    _create(DEFINER_READS)


def downgrade():
    _create(replace(read, language="sql") for read in DEFINER_READS)


def _create(reads):
    if op.get_bind().dialect.name != "postgresql":
        return
    for read in reads:  # CREATE OR REPLACE keeps the owner and the grants
        for statement in read.create_statements():
            op.execute(statement)
