"""risks keep their newest grade's month and level (lists filter on them by index)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 16:55:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latest_period', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('latest_level', sa.String(length=12), nullable=True))
        batch_op.create_index('ix_risks_latest_level_unit', ['latest_level', 'unit_id', 'code'], unique=False)
    op.execute("""
        UPDATE risks SET
          latest_period = (SELECT a.period FROM assessments a WHERE a.risk_id = risks.id
                           ORDER BY a.period DESC LIMIT 1),
          latest_level = (SELECT a.level FROM assessments a WHERE a.risk_id = risks.id
                          ORDER BY a.period DESC LIMIT 1)
    """)


def downgrade() -> None:
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.drop_index('ix_risks_latest_level_unit')
        batch_op.drop_column('latest_level')
        batch_op.drop_column('latest_period')
