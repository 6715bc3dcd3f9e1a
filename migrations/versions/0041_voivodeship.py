"""the voivodeship as a tenant: the self-government of a voivodeship (samorząd województwa,
its office the Urząd Marszałkowski) adopts a cooperation programme like any municipality
(art. 5a), so it is a tenant of its own kind, one per region; a TERYT code fits its kind

Revision ID: 0041_voivodeship
Revises: 0038_region_reports
Create Date: 2026-12-08 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0041_voivodeship"
down_revision = "0040_trends"
branch_labels = None
depends_on = None

KINDS = "kind IN ('city', 'gmina', 'county', 'voivodeship')"
KINDS_BEFORE = "kind IN ('city', 'gmina', 'county')"
TERYT_FITS_KIND = (
    "(kind = 'voivodeship') = (teryt LIKE '__00000') AND "
    "(kind = 'county') = (teryt LIKE '____000' AND teryt NOT LIKE '__00000')"
)
ONE_PER_REGION = "kind = 'voivodeship'"


def upgrade():
    with op.batch_alter_table('tenants') as batch:
        batch.drop_constraint(op.f('ck_tenants_known_kind'), type_='check')
        batch.create_check_constraint(op.f('ck_tenants_known_kind'), KINDS)
        batch.create_check_constraint(op.f('ck_tenants_teryt_fits_kind'), TERYT_FITS_KIND)
    op.create_index(
        'uq_tenants_voivodeship_region_id',
        'tenants',
        ['region_id'],
        unique=True,
        postgresql_where=sa.text(ONE_PER_REGION),
        sqlite_where=sa.text(ONE_PER_REGION),
    )


def downgrade():
    op.drop_index('uq_tenants_voivodeship_region_id', table_name='tenants')
    with op.batch_alter_table('tenants') as batch:
        batch.drop_constraint(op.f('ck_tenants_teryt_fits_kind'), type_='check')
        batch.drop_constraint(op.f('ck_tenants_known_kind'), type_='check')
        batch.create_check_constraint(op.f('ck_tenants_known_kind'), KINDS_BEFORE)
