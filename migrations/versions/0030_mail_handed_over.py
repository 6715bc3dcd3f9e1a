"""a mail's delivery records the moment its text went to the mail server, so that a run
taken up again after its worker died then does not send it a second time

Revision ID: 0030_mail_handed_over
Revises: 0029_personal_walls
Create Date: 2026-11-30 05:15:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0030_mail_handed_over"
down_revision = "0029_personal_walls"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "mail_deliveries", sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade():
    op.drop_column("mail_deliveries", "handed_over_at")
