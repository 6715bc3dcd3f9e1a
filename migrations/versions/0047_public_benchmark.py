"""the cooperation benchmark public by the coordinator's choice, as a project's adoption
matrix is: the region keeps the switch and the version its coordinator's change states; the
operator's national comparison sums the adoptions of the region's local governments only,
as it counts their cells (the marshal office is not one of the compared)

Revision ID: 0047_public_benchmark
Revises: 0046_benchmark_medians
Create Date: 2026-12-09 09:00:00

"""

import sqlalchemy as sa
from alembic import op

from app.tenancy.before_scope import ADOPTION_BY_BLOCK, DefinerRead

revision = "0047_public_benchmark"
down_revision = "0046_benchmark_medians"
branch_labels = None
depends_on = None

# The function's body as 0038 created it, which counted the marshal office's adoptions.
ADOPTION_BY_BLOCK_BEFORE = DefinerRead(
    ADOPTION_BY_BLOCK.name,
    ADOPTION_BY_BLOCK.parameters,
    ADOPTION_BY_BLOCK.returns,
    "SELECT s.block_id, "
    "SUM(CASE WHEN a.status = 'adopted' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN a.status = 'not_applicable' THEN 1 ELSE 0 END) "
    "FROM adoptions a JOIN standards s ON s.id = a.standard_id "
    "JOIN thematic_blocks b ON b.id = s.block_id "
    "JOIN standards_projects p ON p.id = b.project_id "
    "JOIN tenants t ON t.id = a.tenant_id "
    "WHERE t.region_id = p.region_id AND COALESCE(a.review_status, 'accepted') = 'accepted' "
    "GROUP BY s.block_id",
)


def upgrade():
    with op.batch_alter_table("regions") as batch:
        batch.add_column(
            sa.Column("benchmark_public", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("lock_version", sa.Integer(), nullable=False, server_default="1")
        )
    if op.get_bind().dialect.name == "postgresql":
        for statement in ADOPTION_BY_BLOCK.create_statements():
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in ADOPTION_BY_BLOCK_BEFORE.create_statements():
            op.execute(statement)
    with op.batch_alter_table("regions") as batch:
        batch.drop_column("lock_version")
        batch.drop_column("benchmark_public")
