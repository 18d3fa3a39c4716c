"""actions (措施与整改任务), grading sheets signed off per unit and round, reports reviewed before they are
issued (draft/issued, the risk manager's commentary, the Word file beside the PDF)

Reports made before review existed were mailed when made: they are issued, at the moment they were finished.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 01:06:15.010872
"""
from alembic import op
import sqlalchemy as sa
import riskflow.db


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('grading_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('workflow_version', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('returned_reason', sa.Text(), nullable=False),
    sa.Column('submitted_at', riskflow.db.UTCDateTime(), nullable=True),
    sa.Column('confirmed_at', riskflow.db.UTCDateTime(), nullable=True),
    sa.Column('accepted_at', riskflow.db.UTCDateTime(), nullable=True),
    sa.Column('updated_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['grading_rounds.id'], name=op.f('fk_grading_sheets_round_id_grading_rounds')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_grading_sheets_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_sheets')),
    sa.UniqueConstraint('round_id', 'unit_id', name=op.f('uq_grading_sheets_round_id_unit_id'))
    )
    with op.batch_alter_table('grading_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grading_sheets_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grading_sheets_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_grading_sheets_unit_id'), ['unit_id'], unique=False)

    op.create_table('actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=True),
    sa.Column('warning_id', sa.Integer(), nullable=True),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('workflow_version', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('submitted_at', riskflow.db.UTCDateTime(), nullable=True),
    sa.Column('done_at', riskflow.db.UTCDateTime(), nullable=True),
    sa.Column('escalation', sa.String(length=10), nullable=True),
    sa.Column('escalated_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_actions_created_by_id_users')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_actions_incident_id_incidents')),
    sa.ForeignKeyConstraint(['meeting_id'], ['review_meetings.id'], name=op.f('fk_actions_meeting_id_review_meetings')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_actions_owner_id_users')),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_actions_risk_id_risks')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_actions_unit_id_units')),
    sa.ForeignKeyConstraint(['warning_id'], ['warnings.id'], name=op.f('fk_actions_warning_id_warnings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actions')),
    sa.UniqueConstraint('code', name=op.f('uq_actions_code'))
    )
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actions_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_risk_id'), ['risk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_warning_id'), ['warning_id'], unique=False)

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=12), server_default='issued', nullable=False))
        batch_op.add_column(sa.Column('commentary', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('issued_at', riskflow.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('issued_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('issued_by_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('docx_filename', sa.String(length=120), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reports_issued_by_id_users'), 'users', ['issued_by_id'], ['id'])
    op.execute("UPDATE reports SET issued_at = finished_at, issued_by_name = created_by_name WHERE state = 'ready'")



def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reports_issued_by_id_users'), type_='foreignkey')
        batch_op.drop_column('docx_filename')
        batch_op.drop_column('issued_by_name')
        batch_op.drop_column('issued_by_id')
        batch_op.drop_column('issued_at')
        batch_op.drop_column('commentary')
        batch_op.drop_column('status')

    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actions_warning_id'))
        batch_op.drop_index(batch_op.f('ix_actions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_actions_state'))
        batch_op.drop_index(batch_op.f('ix_actions_risk_id'))
        batch_op.drop_index(batch_op.f('ix_actions_owner_id'))
        batch_op.drop_index(batch_op.f('ix_actions_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_actions_incident_id'))
        batch_op.drop_index(batch_op.f('ix_actions_due_date'))

    op.drop_table('actions')
    with op.batch_alter_table('grading_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grading_sheets_unit_id'))
        batch_op.drop_index(batch_op.f('ix_grading_sheets_state'))
        batch_op.drop_index(batch_op.f('ix_grading_sheets_round_id'))

    op.drop_table('grading_sheets')
