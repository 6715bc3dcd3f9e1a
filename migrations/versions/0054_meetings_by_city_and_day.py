"""a city's meetings found by their day through one index: read by the city alone, each page
that lists them by day (still to come, the latest, the list) sifted all of the city's

Revision ID: 0054_meetings_by_city_and_day
Revises: 0053_definer_reads_planned_once
Create Date: 2026-12-02 14:10:00

"""
from alembic import op

revision = "0054_meetings_by_city_and_day"
down_revision = "0053_definer_reads_planned_once"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_meetings_tenant_id_held_on", "meetings", ["tenant_id", "held_on"])


def downgrade():
    op.drop_index("ix_meetings_tenant_id_held_on", table_name="meetings")
