"""standardisation groups

Revision ID: 0015_standardisation_groups
Revises: 0014_adoption_review
Create Date: 2026-11-22 02:56:28.273804

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_standardisation_groups'
down_revision = '0014_adoption_review'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('standardisation_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('office_members', sa.JSON(), nullable=False),
    sa.Column('ngo_members', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['standards_projects.id'], name=op.f('fk_standardisation_groups_project_id_standards_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standardisation_groups'))
    )
    op.create_index(op.f('ix_standardisation_groups_project_id'), 'standardisation_groups', ['project_id'], unique=False)
    with op.batch_alter_table('meetings') as batch:
        batch.add_column(sa.Column('thematic_block_id', sa.Integer(), nullable=True))
        batch.create_index(op.f('ix_meetings_thematic_block_id'), ['thematic_block_id'], unique=False)
        batch.create_foreign_key(op.f('fk_meetings_thematic_block_id_thematic_blocks'), 'thematic_blocks', ['thematic_block_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('standards') as batch:
        batch.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('procedures', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('recommendations', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('lock_version', sa.Integer(), nullable=False, server_default='1'))
        batch.create_index(op.f('ix_standards_group_id'), ['group_id'], unique=False)
        batch.create_foreign_key(op.f('fk_standards_group_id_standardisation_groups'), 'standardisation_groups', ['group_id'], ['id'], ondelete='SET NULL')
    _group_names_become_groups()
    with op.batch_alter_table('standards') as batch:
        batch.drop_column('group_name')
    with op.batch_alter_table('standards_projects') as batch:
        batch.add_column(sa.Column('matrix_public', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def _group_names_become_groups():
    bind = op.get_bind()
    groups = sa.table(
        'standardisation_groups',
        sa.column('id', sa.Integer), sa.column('project_id', sa.Integer),
        sa.column('position', sa.Integer), sa.column('name', sa.String),
        sa.column('office_members', sa.JSON), sa.column('ngo_members', sa.JSON),
    )
    named = bind.execute(sa.text(
        "SELECT DISTINCT b.project_id, s.group_name FROM standards s "
        "JOIN thematic_blocks b ON b.id = s.block_id WHERE s.group_name <> ''"
    )).all()
    for project_id, name in named:
        bind.execute(groups.insert().values(
            project_id=project_id, position=0, name=name, office_members=[], ngo_members=[]
        ))
    bind.execute(sa.text(
        "UPDATE standards SET group_id = (SELECT g.id FROM standardisation_groups g "
        "JOIN thematic_blocks b ON b.project_id = g.project_id "
        "WHERE b.id = standards.block_id AND g.name = standards.group_name)"
    ))


def downgrade():
    with op.batch_alter_table('standards_projects') as batch:
        batch.drop_column('version')
        batch.drop_column('matrix_public')
    with op.batch_alter_table('standards') as batch:
        batch.add_column(sa.Column('group_name', sa.String(length=300), nullable=False, server_default=''))
    op.execute(
        "UPDATE standards SET group_name = COALESCE((SELECT g.name FROM standardisation_groups g "
        "WHERE g.id = standards.group_id), '')"
    )
    with op.batch_alter_table('standards') as batch:
        batch.drop_constraint(op.f('fk_standards_group_id_standardisation_groups'), type_='foreignkey')
        batch.drop_index(op.f('ix_standards_group_id'))
        batch.drop_column('lock_version')
        batch.drop_column('recommendations')
        batch.drop_column('procedures')
        batch.drop_column('group_id')
    with op.batch_alter_table('meetings') as batch:
        batch.drop_constraint(op.f('fk_meetings_thematic_block_id_thematic_blocks'), type_='foreignkey')
        batch.drop_index(op.f('ix_meetings_thematic_block_id'))
        batch.drop_column('thematic_block_id')
    op.drop_index(op.f('ix_standardisation_groups_project_id'), table_name='standardisation_groups')
    op.drop_table('standardisation_groups')
