"""data revision: the counter that committed changes move on (the dashboard's cache keys on it)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 16:50:00
"""
import uuid

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('data_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.Column('stamp', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_revision'))
    )
    op.bulk_insert(table, [{'id': 1, 'n': 0, 'stamp': uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table('data_revision')
