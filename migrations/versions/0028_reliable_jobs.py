"""jobs that cannot be lost or doubled: a heartbeat of the run in progress, each e-mail of
a job recorded before it is sent

Revision ID: 0028_reliable_jobs
Revises: 0027_notifications
Create Date: 2026-11-30 02:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0028_reliable_jobs"
down_revision = "0027_notifications"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "mail_deliveries",
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_mail_deliveries_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "recipient", name=op.f("pk_mail_deliveries")),
    )


def downgrade():
    op.drop_table("mail_deliveries")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("heartbeat_at")
