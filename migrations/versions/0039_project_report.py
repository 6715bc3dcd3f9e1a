"""the project's report for its funder counts a meeting's participants by sector: the
regional reader may read whether an attendee is an official and whether they came from an
organisation of the city's register (never their names)

Revision ID: 0039_project_report
Revises: 0037_year_reports_letterhead
Create Date: 2026-12-07 09:00:00

"""
from alembic import op

from app.tenancy.rls import REGIONAL_READER

revision = '0039_project_report'
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


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, columns in NEW_REGIONAL_COLUMNS.items():
        op.execute(f"REVOKE SELECT ({', '.join(columns)}) ON {table} FROM {REGIONAL_READER}")
