"""What the monthly report reads of the budget indicators: the sales plan's progress (销售业绩进展) and the
month's breaches with the units' answers and each breached indicator's trend, in a few queries whatever the
number of indicators."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .. import periods
from ..auth.models import Unit
from ..register.models import RiskWarning
from . import rules, service
from .labels import PLAN_LINES
from .models import MONTHS, Indicator, IndicatorTarget, IndicatorValue


@dataclass
class PlanRow:
    """One unit's (UNIT None: the company's) progress on a plan line; PROGRESS None when it cannot be known
    (the company's rate with no company-wide indicator of its own)."""

    unit: Unit | None
    indicator: Indicator | None  # None: the company's row summed from the units'
    measure: str
    progress: rules.PlanProgress | None


@dataclass
class PlanLine:
    """A plan line (revenue, profit, collection): the units' rows by unit code, then the company's."""

    line: str
    units: list[PlanRow]
    company: PlanRow


def plan_progress(session: Session, actor, period: str) -> list[PlanLine]:
    """PERIOD's progress of each sales plan line ACTOR may see, for each unit with an active indicator of that
    line and for the company: its company-wide indicator of the line, or else the sum of the units' (amounts
    only). Three queries."""
    year, month = periods.parse(period)
    found = list(session.scalars(service.query(actor, active=True).where(Indicator.plan.is_not(None))).unique())
    ids = [indicator.id for indicator in found]
    targets: dict[int, IndicatorTarget] = {}
    values: dict[int, list[Decimal | None]] = {}
    if ids:
        targets = {row.indicator_id: row for row in session.scalars(select(IndicatorTarget).where(
            IndicatorTarget.indicator_id.in_(ids), IndicatorTarget.year == year))}
        stmt = select(IndicatorValue.indicator_id, IndicatorValue.period, IndicatorValue.value).where(
            IndicatorValue.indicator_id.in_(ids), IndicatorValue.period.between(f"{year:04d}-01", period))
        for indicator_id, month_of, value in session.execute(stmt):
            values.setdefault(indicator_id, [None] * 12)[int(month_of[5:]) - 1] = value

    def row(indicator: Indicator) -> PlanRow:
        target = targets.get(indicator.id)
        progress = rules.plan_progress(month, target.annual if target else None,
                                       target.monthly if target else [None] * len(MONTHS),
                                       values.get(indicator.id, [None] * 12),
                                       additive=rules.adds_up(indicator.measure))
        return PlanRow(indicator.unit, indicator, indicator.measure, progress)

    result = []
    for line in PLAN_LINES:
        of_line = [i for i in found if i.plan == line]
        units, seen = [], set()
        for indicator in sorted((i for i in of_line if i.unit_id is not None), key=lambda i: (i.unit.code, i.code)):
            if indicator.unit_id not in seen:  # a unit's first indicator of the line by code reports it
                seen.add(indicator.unit_id)
                units.append(row(indicator))
        own = next((i for i in of_line if i.unit_id is None), None)
        if own is not None:
            company = row(own)
        elif units:
            measures = {r.measure for r in units}
            measure = measures.pop() if len(measures) == 1 else ""
            company = PlanRow(None, None, measure, rules.plan_total(r.progress for r in units)
                              if measure in rules.AMOUNT_MEASURES else None)
        else:
            continue
        result.append(PlanLine(line, units, company))
    return result


@dataclass
class BreachRow:
    """A breached indicator of the month: what its rule measured (the value, or the year to date), the unit's
    answer on the month's warning (cause and explanation, empty when unanswered) and its trend."""

    indicator: Indicator
    value: IndicatorValue
    measured: Decimal
    cause: str | None = None
    explanation: str = ""
    history: list[dict] = field(default_factory=list)


def breach_rows(session: Session, actor, period: str, months: int = 24) -> list[BreachRow]:
    """PERIOD's breaches ACTOR may see, by code, each with its warning's answer and its MONTHS months up to
    PERIOD. Four queries whatever the number of breaches."""
    found = service.breaches(session, actor, period)
    if not found:
        return []
    own = [ind.id for ind, _value in found if ind.risk_id is None]
    risks = [ind.risk_id for ind, _value in found if ind.risk_id is not None]
    stmt = select(RiskWarning.indicator_id, RiskWarning.risk_id, RiskWarning.cause, RiskWarning.explanation).where(
        RiskWarning.period == period, or_(RiskWarning.indicator_id.in_(own), RiskWarning.risk_id.in_(risks)))
    answers = {}
    for indicator_id, risk_id, cause, explanation in session.execute(stmt):
        answers[("indicator", indicator_id) if indicator_id is not None else ("risk", risk_id)] = (cause, explanation)
    trends = service.histories(session, [ind for ind, _value in found], period, months)
    result = []
    for ind, value in found:
        key = ("risk", ind.risk_id) if ind.risk_id is not None else ("indicator", ind.id)
        cause, explanation = answers.get(key, (None, ""))
        measured = value.ytd if ind.rule == "behind_progress" else value.value
        result.append(BreachRow(ind, value, measured, cause, explanation or "", trends[ind.id]))
    return result
