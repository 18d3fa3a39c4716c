"""risk event library

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 14:42:57.752785
"""
from alembic import op
import sqlalchemy as sa
import riskflow.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incident_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('closed_at', riskflow.db.UTCDateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_incident_rounds_opened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_rounds')),
    sa.UniqueConstraint('quarter', name=op.f('uq_incident_rounds_quarter'))
    )
    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('discovered_on', sa.Date(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('loss_type', sa.String(length=24), nullable=True),
    sa.Column('gross_loss', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('recoveries', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('reputation', sa.Integer(), nullable=False),
    sa.Column('compliance', sa.Integer(), nullable=False),
    sa.Column('safety', sa.Integer(), nullable=False),
    sa.Column('environment', sa.Integer(), nullable=False),
    sa.Column('operations', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('handling', sa.Text(), nullable=False),
    sa.Column('lessons', sa.Text(), nullable=False),
    sa.Column('corrective_action', sa.Text(), nullable=False),
    sa.Column('action_owner', sa.String(length=100), nullable=False),
    sa.Column('action_due', sa.Date(), nullable=True),
    sa.Column('action_done', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('workflow_version', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_incidents_reported_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_incidents_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents')),
    sa.UniqueConstraint('code', name=op.f('uq_incidents_code'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_quarter'), ['quarter'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_unit_id'), ['unit_id'], unique=False)

    op.create_table('review_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('attendees', sa.Text(), nullable=False),
    sa.Column('conclusions', sa.Text(), nullable=False),
    sa.Column('actions', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_review_meetings_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_meetings'))
    )
    with op.batch_alter_table('review_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_meetings_quarter'), ['quarter'], unique=False)

    op.create_table('incident_returns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('nil', sa.Boolean(), nullable=False),
    sa.Column('incidents', sa.Integer(), nullable=False),
    sa.Column('submitted_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['incident_rounds.id'], name=op.f('fk_incident_returns_round_id_incident_rounds')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_incident_returns_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_incident_returns_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_returns')),
    sa.UniqueConstraint('round_id', 'unit_id', name=op.f('uq_incident_returns_round_id_unit_id'))
    )
    op.create_table('incident_risks',
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_risks_incident_id_incidents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_incident_risks_risk_id_risks')),
    sa.PrimaryKeyConstraint('incident_id', 'risk_id', name=op.f('pk_incident_risks'))
    )
    op.create_table('review_meeting_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('conclusion', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_review_meeting_items_incident_id_incidents')),
    sa.ForeignKeyConstraint(['meeting_id'], ['review_meetings.id'], name=op.f('fk_review_meeting_items_meeting_id_review_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_meeting_items')),
    sa.UniqueConstraint('meeting_id', 'incident_id', name=op.f('uq_review_meeting_items_meeting_id_incident_id'))
    )


def downgrade() -> None:
    op.drop_table('review_meeting_items')
    op.drop_table('incident_risks')
    op.drop_table('incident_returns')
    with op.batch_alter_table('review_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_meetings_quarter'))

    op.drop_table('review_meetings')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_unit_id'))
        batch_op.drop_index(batch_op.f('ix_incidents_state'))
        batch_op.drop_index(batch_op.f('ix_incidents_quarter'))
        batch_op.drop_index(batch_op.f('ix_incidents_kind'))

    op.drop_table('incidents')
    op.drop_table('incident_rounds')
