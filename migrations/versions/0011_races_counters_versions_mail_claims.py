"""races: code counters, versions on grades and warnings, mail claimed before it is sent

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 22:00:00
"""
from alembic import op
import sqlalchemy as sa

import riskflow.db


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Counters start empty: the first code of each series and scope starts after the highest one stored.
    op.create_table('code_counters',
    sa.Column('series', sa.String(length=20), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('series', 'scope', name=op.f('pk_code_counters'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))
    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', riskflow.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_by')
    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('version')
    op.drop_table('code_counters')
