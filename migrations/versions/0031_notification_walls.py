"""the last per-person tables behind row-level security: notifications, notification
preferences and digests (each person's own), mail deliveries (their job's); and a job of no
city and no person readable only in the system's scope (app.system), never by an anonymous
request

Revision ID: 0031_notification_walls
Revises: 0030_mail_handed_over
Create Date: 2026-12-05 10:00:00

"""
from alembic import op

from app.tenancy.before_scope import NOTIFICATION_READS
from app.tenancy.rls import (
    PERSONAL_WALLS,
    personal_wall_statements,
    remove_personal_wall_statements,
)

revision = '0031_notification_walls'
down_revision = '0030_mail_handed_over'
branch_labels = None
depends_on = None

TABLES = ("notifications", "notification_preferences", "notification_digests", "mail_deliveries")

# The jobs' policy of migration 0029: a job of nobody was read wherever nobody acted.
_TENANT = "(SELECT NULLIF(current_setting('app.tenant_id', true), '')::integer)"
_ACTOR = "(SELECT NULLIF(current_setting('app.user_id', true), '')::integer)"
JOBS_0029 = (
    f"tenant_id = {_TENANT} OR (tenant_id IS NULL AND (user_id = {_ACTOR} OR "
    f"(user_id IS NULL AND {_ACTOR} IS NULL AND {_TENANT} IS NULL)))"
)


def _jobs_policy(condition: str) -> list[str]:
    return [
        "DROP POLICY IF EXISTS job_isolation ON jobs",
        f"CREATE POLICY job_isolation ON jobs USING ({condition}) WITH CHECK ({condition})",
    ]


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for read in NOTIFICATION_READS:
        for statement in read.create_statements():
            op.execute(statement)
    for statement in _jobs_policy(PERSONAL_WALLS["jobs"].write):
        op.execute(statement)
    for table in TABLES:
        for statement in personal_wall_statements(table):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in TABLES:
        for statement in remove_personal_wall_statements(table):
            op.execute(statement)
    for statement in _jobs_policy(JOBS_0029):
        op.execute(statement)
    for read in NOTIFICATION_READS:
        op.execute(read.drop_statement())
