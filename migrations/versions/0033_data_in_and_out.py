"""a city's data in and out, people's data rights: the operator's log of what was done to
a whole city or to a person's data on request; how long each city keeps the event
registrations of people without an account

Revision ID: 0033_data_in_and_out
Revises: 0032_notify_forward
Create Date: 2026-11-30 05:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0033_data_in_and_out"
down_revision = "0032_notify_forward"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(
            sa.Column(
                "registration_retention_days", sa.Integer(), server_default="30", nullable=False
            )
        )
        batch.create_check_constraint("retention_positive", "registration_retention_days > 0")
    op.create_table(
        "operator_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=254), nullable=False),
        sa.Column("performed_by", sa.String(length=254), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator_log")),
    )
    op.create_index(op.f("ix_operator_log_action"), "operator_log", ["action"])
    op.create_index(op.f("ix_operator_log_created_at"), "operator_log", ["created_at"])


def downgrade():
    op.drop_index(op.f("ix_operator_log_created_at"), table_name="operator_log")
    op.drop_index(op.f("ix_operator_log_action"), table_name="operator_log")
    op.drop_table("operator_log")
    with op.batch_alter_table("tenants") as batch:
        batch.drop_constraint(op.f("ck_tenants_retention_positive"), type_="check")
        batch.drop_column("registration_retention_days")
