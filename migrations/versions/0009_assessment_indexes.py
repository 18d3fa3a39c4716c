"""assessments: a covering index for the heat map, an ordered one for the ranking

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 17:35:00
"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_period')
        batch_op.create_index('ix_assessments_period_cell', ['period', 'likelihood', 'impact', 'level', 'risk_id'], unique=False)
        batch_op.create_index('ix_assessments_period_rank', ['period', 'score', 'impact', 'likelihood'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_period_rank')
        batch_op.drop_index('ix_assessments_period_cell')
        batch_op.create_index('ix_assessments_period', ['period'], unique=False)
