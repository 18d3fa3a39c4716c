"""supervision, workflow versions, attachments

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 14:34:30.458464
"""
from alembic import op
import sqlalchemy as sa
import riskflow.db
from sqlalchemy.dialects import postgresql

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('workflow_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('definition', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_versions')),
    sa.UniqueConstraint('name', 'version', name=op.f('uq_workflow_versions_name_version'))
    )
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachments_stored_name'))
    )
    op.create_table('supervision_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('method', sa.String(length=30), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('control_points', sa.Text(), nullable=False),
    sa.Column('plan', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('economic_benefit', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('indirect_benefit', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('workflow_version', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_supervision_projects_created_by_id_users')),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['units.id'], name=op.f('fk_supervision_projects_lead_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_projects')),
    sa.UniqueConstraint('code', name=op.f('uq_supervision_projects_code'))
    )
    with op.batch_alter_table('supervision_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_projects_lead_unit_id'), ['lead_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_projects_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_projects_year'), ['year'], unique=False)

    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('letter_no', sa.String(length=40), nullable=False),
    sa.Column('finding', sa.Text(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('recommendation', sa.Text(), nullable=False),
    sa.Column('responsible_unit_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('workflow_version', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('rectification_report', sa.Text(), nullable=False),
    sa.Column('submitted_at', riskflow.db.UTCDateTime(), nullable=True),
    sa.Column('verified_at', riskflow.db.UTCDateTime(), nullable=True),
    sa.Column('escalation', sa.String(length=10), nullable=True),
    sa.Column('escalated_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_recommendations_created_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['supervision_projects.id'], name=op.f('fk_recommendations_project_id_supervision_projects')),
    sa.ForeignKeyConstraint(['responsible_unit_id'], ['units.id'], name=op.f('fk_recommendations_responsible_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations')),
    sa.UniqueConstraint('letter_no', name=op.f('uq_recommendations_letter_no'))
    )
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendations_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendations_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendations_responsible_unit_id'), ['responsible_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendations_state'), ['state'], unique=False)

    op.create_table('supervision_project_units',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['supervision_projects.id'], name=op.f('fk_supervision_project_units_project_id_supervision_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_supervision_project_units_unit_id_units')),
    sa.PrimaryKeyConstraint('project_id', 'unit_id', name=op.f('pk_supervision_project_units'))
    )


def downgrade() -> None:
    op.drop_table('supervision_project_units')
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendations_state'))
        batch_op.drop_index(batch_op.f('ix_recommendations_responsible_unit_id'))
        batch_op.drop_index(batch_op.f('ix_recommendations_project_id'))
        batch_op.drop_index(batch_op.f('ix_recommendations_due_date'))

    op.drop_table('recommendations')
    with op.batch_alter_table('supervision_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_projects_year'))
        batch_op.drop_index(batch_op.f('ix_supervision_projects_state'))
        batch_op.drop_index(batch_op.f('ix_supervision_projects_lead_unit_id'))

    op.drop_table('supervision_projects')
    op.drop_table('attachments')
    op.drop_table('workflow_versions')
