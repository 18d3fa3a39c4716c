"""supervision results: benefits (the project's economic benefit becomes their sum), notices (监通), the project
kinds as an edited list, the year's plan and phases, mid-year inspections, unit proposals (origin), links to the
risk register and risk proposals

A project's typed economic_benefit becomes one benefit entry of kind `other` ("recorded at filing"), so the
year's figures keep their totals; downgrading puts the sums back in the column.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 07:45:32.133436
"""
from alembic import op
import sqlalchemy as sa
import riskflow.db

KINDS = [  # code, 中文, English: the kinds the code knew until now, and 八项规定 conduct
    ("major_decisions", "“三重一大”决策", "Major decisions (three majors and one large)"),
    ("procurement", "大宗物资采购", "Procurement of bulk materials"),
    ("budget", "预算管理", "Budget management"),
    ("financial_cost", "财务成本控制", "Financial cost control"),
    ("construction_cost", "工程成本控制", "Construction cost control"),
    ("large_funds", "大额资金运作", "Large fund operations"),
    ("tendering", "招投标管理", "Tendering"),
    ("progress", "进度管理", "Progress and milestones"),
    ("marketing", "营销推广", "Marketing and promotion"),
    ("sales_collection", "销售回款", "Sales collection"),
    ("leasing", "资产租赁经营", "Asset leasing"),
    ("process_building", "全流程建设", "Business-wide process building"),
    ("eight_rules", "落实中央八项规定精神（业务招待、领导人员履职待遇）",
     "Eight-point rules conduct (hospitality, leaders' expenses)"),
]
FILED_NOTE = "立项时登记的直接经济效益"

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supervision_kinds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('label_zh', sa.String(length=100), nullable=False),
    sa.Column('label_en', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_kinds')),
    sa.UniqueConstraint('code', name=op.f('uq_supervision_kinds_code'))
    )
    op.create_table('supervision_plans',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('preparation_start', sa.Date(), nullable=False),
    sa.Column('preparation_end', sa.Date(), nullable=False),
    sa.Column('implementation_start', sa.Date(), nullable=False),
    sa.Column('implementation_end', sa.Date(), nullable=False),
    sa.Column('tracking_start', sa.Date(), nullable=False),
    sa.Column('tracking_end', sa.Date(), nullable=False),
    sa.Column('inspection_start', sa.Date(), nullable=False),
    sa.Column('inspection_end', sa.Date(), nullable=False),
    sa.Column('summary_start', sa.Date(), nullable=False),
    sa.Column('summary_end', sa.Date(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_supervision_plans_updated_by_id_users')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_supervision_plans'))
    )
    op.create_table('supervision_inspections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('methods', riskflow.db.JSONType, nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('rating', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_supervision_inspections_created_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['supervision_projects.id'], name=op.f('fk_supervision_inspections_project_id_supervision_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_inspections'))
    )
    with op.batch_alter_table('supervision_inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_inspections_project_id'), ['project_id'], unique=False)

    op.create_table('supervision_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('recipient_unit_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_supervision_notices_created_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['supervision_projects.id'], name=op.f('fk_supervision_notices_project_id_supervision_projects')),
    sa.ForeignKeyConstraint(['recipient_unit_id'], ['units.id'], name=op.f('fk_supervision_notices_recipient_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_notices')),
    sa.UniqueConstraint('number', name=op.f('uq_supervision_notices_number'))
    )
    with op.batch_alter_table('supervision_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_notices_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_notices_recipient_unit_id'), ['recipient_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_notices_year'), ['year'], unique=False)

    op.create_table('supervision_project_risks',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['supervision_projects.id'], name=op.f('fk_supervision_project_risks_project_id_supervision_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_supervision_project_risks_risk_id_risks')),
    sa.PrimaryKeyConstraint('project_id', 'risk_id', name=op.f('pk_supervision_project_risks'))
    )
    with op.batch_alter_table('supervision_project_risks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_project_risks_risk_id'), ['risk_id'], unique=False)

    op.create_table('recommendation_risks',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_risks_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_recommendation_risks_risk_id_risks')),
    sa.PrimaryKeyConstraint('recommendation_id', 'risk_id', name=op.f('pk_recommendation_risks'))
    )
    with op.batch_alter_table('recommendation_risks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_risks_risk_id'), ['risk_id'], unique=False)

    op.create_table('risk_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('likelihood', sa.Integer(), nullable=True),
    sa.Column('impact', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('decision_comment', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', riskflow.db.UTCDateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['risk_categories.id'], name=op.f('fk_risk_proposals_category_id_risk_categories')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_risk_proposals_created_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_risk_proposals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_risk_proposals_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_risk_proposals_risk_id_risks')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_risk_proposals_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_proposals'))
    )
    with op.batch_alter_table('risk_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_proposals_recommendation_id'), ['recommendation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_proposals_risk_id'), ['risk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_proposals_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_proposals_unit_id'), ['unit_id'], unique=False)

    op.create_table('supervision_benefits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', riskflow.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_supervision_benefits_created_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['supervision_projects.id'], name=op.f('fk_supervision_benefits_project_id_supervision_projects')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_supervision_benefits_recommendation_id_recommendations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_benefits'))
    )
    with op.batch_alter_table('supervision_benefits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_benefits_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_benefits_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_benefits_recommendation_id'), ['recommendation_id'], unique=False)

    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inspection_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_recommendations_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_recommendations_inspection_id_supervision_inspections'), 'supervision_inspections', ['inspection_id'], ['id'])

    with op.batch_alter_table('supervision_projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=10), server_default='company', nullable=False))
        batch_op.add_column(sa.Column('proposed_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_supervision_projects_origin'), ['origin'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_supervision_projects_proposed_by_id_users'), 'users', ['proposed_by_id'], ['id'])
    kinds = sa.table("supervision_kinds", sa.column("code", sa.String), sa.column("label_zh", sa.String),
                     sa.column("label_en", sa.String), sa.column("position", sa.Integer),
                     sa.column("active", sa.Boolean))
    op.bulk_insert(kinds, [{"code": code, "label_zh": zh, "label_en": en, "position": n, "active": True}
                           for n, (code, zh, en) in enumerate(KINDS, start=1)])
    # A kind a project already uses but the list lacks (a hand-made row) stays usable under its code.
    op.execute("INSERT INTO supervision_kinds (code, label_zh, label_en, position, active) "
               "SELECT DISTINCT kind, kind, kind, 100, " + ("true" if op.get_bind().dialect.name == "postgresql"
                                                            else "1") +
               " FROM supervision_projects WHERE kind NOT IN (SELECT code FROM supervision_kinds)")
    op.execute("INSERT INTO supervision_benefits (project_id, recommendation_id, amount, kind, description, "
               "created_by_id, created_at) SELECT id, NULL, economic_benefit, 'other', '" + FILED_NOTE + "', "
               "created_by_id, created_at FROM supervision_projects WHERE economic_benefit <> 0")
    with op.batch_alter_table('supervision_projects', schema=None) as batch_op:
        batch_op.drop_column('economic_benefit')


def downgrade() -> None:
    with op.batch_alter_table('supervision_projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('economic_benefit', sa.NUMERIC(precision=18, scale=2), nullable=False,
                                      server_default="0"))
    op.execute("UPDATE supervision_projects SET economic_benefit = COALESCE((SELECT SUM(amount) FROM "
               "supervision_benefits b WHERE b.project_id = supervision_projects.id), 0)")
    with op.batch_alter_table('supervision_projects', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_supervision_projects_proposed_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_supervision_projects_origin'))
        batch_op.drop_column('proposed_by_id')
        batch_op.drop_column('origin')

    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_recommendations_inspection_id_supervision_inspections'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_recommendations_inspection_id'))
        batch_op.drop_column('inspection_id')

    with op.batch_alter_table('supervision_benefits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_benefits_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_benefits_project_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_benefits_kind'))

    op.drop_table('supervision_benefits')
    with op.batch_alter_table('risk_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_proposals_unit_id'))
        batch_op.drop_index(batch_op.f('ix_risk_proposals_state'))
        batch_op.drop_index(batch_op.f('ix_risk_proposals_risk_id'))
        batch_op.drop_index(batch_op.f('ix_risk_proposals_recommendation_id'))

    op.drop_table('risk_proposals')
    with op.batch_alter_table('recommendation_risks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_risks_risk_id'))

    op.drop_table('recommendation_risks')
    with op.batch_alter_table('supervision_project_risks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_project_risks_risk_id'))

    op.drop_table('supervision_project_risks')
    with op.batch_alter_table('supervision_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_notices_year'))
        batch_op.drop_index(batch_op.f('ix_supervision_notices_recipient_unit_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_notices_project_id'))

    op.drop_table('supervision_notices')
    with op.batch_alter_table('supervision_inspections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_inspections_project_id'))

    op.drop_table('supervision_inspections')
    op.drop_table('supervision_plans')
    op.drop_table('supervision_kinds')
