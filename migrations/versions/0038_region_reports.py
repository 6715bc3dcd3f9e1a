"""the project's report for its funder counts a meeting's participants by sector: the
regional reader may read whether an attendee is an official and whether they came from an
organisation of the city's register (never their names); the operator's national comparison
sums the cities' adoption per thematic block through one narrow SECURITY DEFINER function

Revision ID: 0038_region_reports
Revises: 0037_year_reports_letterhead
Create Date: 2026-12-07 09:00:00

"""
from alembic import op

from app.tenancy.before_scope import ADOPTION_BY_BLOCK
from app.tenancy.rls import REGIONAL_READER

revision = '0038_region_reports'
down_revision = '0037_year_reports_letterhead'
branch_labels = None
depends_on = None

# Columns the project's report reads besides those granted before (REGIONAL_COLUMNS).
NEW_REGIONAL_COLUMNS = {"meeting_attendees": ("official", "organisation_id")}


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, columns in NEW_REGIONAL_COLUMNS.items():
        op.execute(f"GRANT SELECT ({', '.join(columns)}) ON {table} TO {REGIONAL_READER}")
    for statement in ADOPTION_BY_BLOCK.create_statements():
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(ADOPTION_BY_BLOCK.drop_statement())
    for table, columns in NEW_REGIONAL_COLUMNS.items():
        op.execute(f"REVOKE SELECT ({', '.join(columns)}) ON {table} FROM {REGIONAL_READER}")
