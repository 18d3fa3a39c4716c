"""budget indicators: a unit, measure, rule, owner and plan line per indicator; targets and budgets per year;
what each value was compared with; warnings on indicators linked to no risk, with cause and explanation

The old fixed threshold becomes the annual target of every year with values (rule above_target or
below_target, as its direction said), so no breach changes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 22:00:00
"""
from decimal import Decimal

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

NUMBER = sa.Numeric(22, 4)
MONTH_COLUMNS = [f'm{m:02d}' for m in range(1, 13)]


def upgrade() -> None:
    op.create_table(
        'indicator_targets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('annual', sa.Numeric(precision=20, scale=4), nullable=True),
        *[sa.Column(name, sa.Numeric(precision=20, scale=4), nullable=True) for name in MONTH_COLUMNS],
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'],
                                name=op.f('fk_indicator_targets_indicator_id_indicators')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_indicator_targets_updated_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_targets')),
        sa.UniqueConstraint('indicator_id', 'year', name=op.f('uq_indicator_targets_indicator_id_year')),
    )
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_targets_indicator_id'), ['indicator_id'], unique=False)

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('measure', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('rule', sa.String(length=16), server_default='above_target', nullable=False))
        batch_op.add_column(sa.Column('carry_over', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('plan', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_indicators_unit_id_units'), 'units', ['unit_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_indicators_owner_id_users'), 'users', ['owner_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_indicators_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ytd', sa.Numeric(precision=22, scale=4), nullable=True))
        batch_op.add_column(sa.Column('compared_with', sa.Numeric(precision=22, scale=4), nullable=True))
        batch_op.add_column(sa.Column('variance', sa.Numeric(precision=22, scale=4), nullable=True))

    _carry_thresholds_over()

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_column('direction')
        batch_op.drop_column('threshold')

    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.alter_column('risk_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('indicator_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cause', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('explanation', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_warnings_indicator_id_indicators'), 'indicators',
                                    ['indicator_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_warnings_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_warnings_indicator_id_period'), ['indicator_id', 'period'])


def _carry_thresholds_over() -> None:
    """Each indicator takes its risk's unit and its direction as its rule; its threshold becomes the annual
    target of every year it has values; each value is compared with it as before."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT i.id, i.direction, i.threshold, r.unit_id FROM indicators i LEFT JOIN risks r ON r.id = i.risk_id"
    )).all()
    for indicator_id, direction, threshold, unit_id in rows:
        rule = 'above_target' if direction == 'above' else 'below_target'
        bind.execute(sa.text("UPDATE indicators SET rule = :rule, unit_id = :unit WHERE id = :id"),
                     {"rule": rule, "unit": unit_id, "id": indicator_id})
        values = bind.execute(sa.text(
            "SELECT id, period, value FROM indicator_values WHERE indicator_id = :id ORDER BY period"),
            {"id": indicator_id}).all()
        years, ytd = set(), {}
        for value_id, period, value in values:
            year = int(period[:4])
            years.add(year)
            value = Decimal(str(value))
            ytd[year] = ytd.get(year, Decimal(0)) + value
            bind.execute(sa.text("UPDATE indicator_values SET ytd = :ytd, compared_with = :target, "
                                 "variance = :variance WHERE id = :id").bindparams(
                sa.bindparam("ytd", type_=NUMBER), sa.bindparam("target", type_=NUMBER),
                sa.bindparam("variance", type_=NUMBER)),
                         {"ytd": ytd[year], "target": threshold, "variance": value - Decimal(str(threshold)),
                          "id": value_id})
        for year in sorted(years):
            bind.execute(sa.text("INSERT INTO indicator_targets (indicator_id, year, annual, updated_at) "
                                 "VALUES (:id, :year, :annual, CURRENT_TIMESTAMP)").bindparams(
                sa.bindparam("annual", type_=NUMBER)),
                         {"id": indicator_id, "year": year, "annual": threshold})


def downgrade() -> None:
    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_warnings_indicator_id_period'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_warnings_indicator_id'))
        batch_op.drop_constraint(batch_op.f('fk_warnings_indicator_id_indicators'), type_='foreignkey')
        batch_op.drop_column('explanation')
        batch_op.drop_column('cause')
        batch_op.drop_column('indicator_id')
    op.execute("DELETE FROM warnings WHERE risk_id IS NULL")
    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.alter_column('risk_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direction', sa.String(length=5), server_default='above', nullable=False))
        batch_op.add_column(sa.Column('threshold', sa.Numeric(precision=20, scale=4), server_default='0',
                                      nullable=False))
    op.execute("UPDATE indicators SET direction = CASE WHEN rule LIKE 'below%' THEN 'below' ELSE 'above' END")
    op.execute("UPDATE indicators SET threshold = COALESCE((SELECT annual FROM indicator_targets t WHERE "
               "t.indicator_id = indicators.id ORDER BY year DESC LIMIT 1), 0)")
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_column('variance')
        batch_op.drop_column('compared_with')
        batch_op.drop_column('ytd')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_unit_id'))
        batch_op.drop_constraint(batch_op.f('fk_indicators_owner_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_indicators_unit_id_units'), type_='foreignkey')
        batch_op.drop_column('owner_id')
        batch_op.drop_column('plan')
        batch_op.drop_column('carry_over')
        batch_op.drop_column('rule')
        batch_op.drop_column('measure')
        batch_op.drop_column('unit_id')
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_targets_indicator_id'))
    op.drop_table('indicator_targets')
