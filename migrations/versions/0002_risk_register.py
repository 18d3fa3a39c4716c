"""risk register

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 14:15:27.636441
"""
from alembic import op
import sqlalchemy as sa
import riskflow.db
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('risk_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['risk_categories.id'], name=op.f('fk_risk_categories_parent_id_risk_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_risk_categories_code'))
    )
    op.create_table('risks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('causes', sa.Text(), nullable=False),
    sa.Column('response_strategy', sa.String(length=10), nullable=True),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['risk_categories.id'], name=op.f('fk_risks_category_id_risk_categories')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_risks_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risks')),
    sa.UniqueConstraint('code', name=op.f('uq_risks_code'))
    )
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risks_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risks_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_risks_unit_id'), ['unit_id'], unique=False)

    op.create_table('grading_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('closed_at', riskflow.db.UTCDateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_grading_rounds_opened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_rounds')),
    sa.UniqueConstraint('period', name=op.f('uq_grading_rounds_period'))
    )
    op.create_table('grading_standards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_grading_standards_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_standards')),
    sa.UniqueConstraint('version', name=op.f('uq_grading_standards_version'))
    )
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('direction', sa.String(length=5), nullable=False),
    sa.Column('threshold', sa.Numeric(precision=20, scale=4), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_indicators_risk_id_risks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('code', name=op.f('uq_indicators_code'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_risk_id'), ['risk_id'], unique=False)

    op.create_table('warnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=True),
    sa.Column('reason', sa.String(length=12), nullable=False),
    sa.Column('previous_level', sa.String(length=12), nullable=True),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_warnings_risk_id_risks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warnings')),
    sa.UniqueConstraint('risk_id', 'period', name=op.f('uq_warnings_risk_id_period'))
    )
    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warnings_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_warnings_risk_id'), ['risk_id'], unique=False)

    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('likelihood', sa.Integer(), nullable=False),
    sa.Column('impact', sa.Integer(), nullable=False),
    sa.Column('impacts', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.Column('assessed_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['users.id'], name=op.f('fk_assessments_assessed_by_id_users')),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_assessments_risk_id_risks')),
    sa.ForeignKeyConstraint(['standard_id'], ['grading_standards.id'], name=op.f('fk_assessments_standard_id_grading_standards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('risk_id', 'period', name=op.f('uq_assessments_risk_id_period'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_risk_id'), ['risk_id'], unique=False)

    op.create_table('grading_round_reopenings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('reopened_by_id', sa.Integer(), nullable=True),
    sa.Column('reopened_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['users.id'], name=op.f('fk_grading_round_reopenings_reopened_by_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['grading_rounds.id'], name=op.f('fk_grading_round_reopenings_round_id_grading_rounds')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_grading_round_reopenings_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_round_reopenings')),
    sa.UniqueConstraint('round_id', 'unit_id', name=op.f('uq_grading_round_reopenings_round_id_unit_id'))
    )
    op.create_table('indicator_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('value', sa.Numeric(precision=20, scale=4), nullable=False),
    sa.Column('breached', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_values_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_indicator_values_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_values')),
    sa.UniqueConstraint('indicator_id', 'period', name=op.f('uq_indicator_values_indicator_id_period'))
    )
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_values_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_values_period'), ['period'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_values_period'))
        batch_op.drop_index(batch_op.f('ix_indicator_values_indicator_id'))

    op.drop_table('indicator_values')
    op.drop_table('grading_round_reopenings')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_risk_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_period'))

    op.drop_table('assessments')
    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warnings_risk_id'))
        batch_op.drop_index(batch_op.f('ix_warnings_period'))

    op.drop_table('warnings')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_risk_id'))

    op.drop_table('indicators')
    op.drop_table('grading_standards')
    op.drop_table('grading_rounds')
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risks_unit_id'))
        batch_op.drop_index(batch_op.f('ix_risks_status'))
        batch_op.drop_index(batch_op.f('ix_risks_category_id'))

    op.drop_table('risks')
    op.drop_table('risk_categories')
