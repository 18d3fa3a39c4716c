"""Every figure of the monthly and annual reports, from the same services as the pages and the API."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from .. import periods
from ..actions import coverage, progress
from ..auth import policy
from ..auth.models import Unit
from ..auth.service import list_units
from ..incidents import service as incident_service
from ..incidents.pack import Totals
from ..indicators import report as indicators
from ..register import analysis, grading, rounds, warnings
from ..register.models import Assessment, Risk
from ..supervision import escalation
from ..supervision import kinds as supervision_kinds
from ..supervision import service as supervision_service
from ..supervision import summary as supervision_summary

ACTOR = policy.SYSTEM  # reports are company-wide


@dataclass
class RankedRow:
    rank: int
    code: str
    title: str
    unit: str
    likelihood: int
    impact: int
    score: int
    level: str
    trend: str  # new, up, down, same
    period: str = ""
    unit_id: int | None = None


@dataclass
class Change:
    code: str
    title: str
    unit: str
    level: str
    previous_level: str | None
    unit_id: int | None = None


@dataclass
class MonthlyData:
    period: str
    previous: str
    today: date
    total: int
    counts: dict[str, int]
    counts_by_unit: list[tuple[str, dict[str, int]]]
    heatmap: dict
    top: list[RankedRow]
    new: list[Change]
    escalated: list[Change]
    deescalated: list[Change]
    warnings: list
    breaches: list  # indicators.report.BreachRow, by code
    completion: list
    overdue: list  # (recommendation, colour)
    previous_warnings: list = field(default_factory=list)
    register: list[RankedRow] = field(default_factory=list)  # every graded risk, in ranking order
    plan: list = field(default_factory=list)  # indicators.report.PlanLine: the sales plan's progress
    progress: progress.Progress | None = None  # the previous month's warnings' actions (《…执行进度》)
    uncovered: list[str] = field(default_factory=list)  # codes of the top-3 risks without an action, by rank
    # A unit's version (for_unit): the unit's name, and the company's figures kept as totals only.
    unit: str | None = None
    company_warnings: int | None = None
    company_completion: tuple[int, int] | None = None  # (graded, risks)


def _grades(session: Session, period: str) -> dict[int, Row]:
    """PERIOD's grade of every active risk, by risk id, as plain rows (ten thousand ORM objects cost
    seconds): risk_id, code, title, unit, likelihood, impact, score, level."""
    stmt = (select(Assessment.risk_id, Risk.code, Risk.title, Unit.name.label("unit"), Assessment.likelihood,
                   Assessment.impact, Assessment.score, Assessment.level, Risk.unit_id)
            .join(Risk, Risk.id == Assessment.risk_id).join(Unit, Unit.id == Risk.unit_id)
            .where(Assessment.period == period, Risk.status == "active"))
    return {row.risk_id: row for row in session.execute(stmt)}


def _levels(session: Session, period: str) -> dict[int, str]:
    """PERIOD's level of every active risk, by risk id."""
    stmt = select(Assessment.risk_id, Assessment.level).join(Risk, Risk.id == Assessment.risk_id).where(
        Assessment.period == period, Risk.status == "active")
    return dict(session.execute(stmt).all())


def monthly(session: Session, period: str, today: date | None = None) -> MonthlyData:
    """The figures of PERIOD's risk warning report and of the previous month's execution progress."""
    today = today or periods.today()
    previous = periods.previous(period)
    now, before = _grades(session, period), _levels(session, previous)
    counts = analysis.level_counts(session, ACTOR, period)
    by_unit = []
    for unit in list_units(session):
        unit_counts = analysis.level_counts(session, ACTOR, period, unit.id)
        if sum(unit_counts.values()):
            by_unit.append((unit.name, unit_counts))
    top = []
    for ranked in analysis.major_risks(session, ACTOR, period, 10):
        a = ranked.assessment
        top.append(RankedRow(ranked.rank, a.risk.code, a.risk.title, a.risk.unit.name, a.likelihood, a.impact,
                             a.score, a.level, grading.trend(a.level, before.get(a.risk_id)), unit_id=a.risk.unit_id))
    new, up, down = [], [], []
    for risk_id, g in sorted(now.items(), key=lambda item: item[1].code):
        change = Change(g.code, g.title, g.unit, g.level, before.get(risk_id), g.unit_id)
        direction = grading.trend(g.level, change.previous_level)
        {"new": new, "up": up, "down": down}.get(direction, []).append(change)
    blue, red = escalation.settings()
    overdue = [(r, escalation.colour(r.due_date, False, today, blue, red))
               for r in session.scalars(supervision_service.recommendation_query(ACTOR, overdue=True, today=today))]
    return MonthlyData(
        period=period, previous=previous, today=today, total=sum(counts.values()), counts=counts,
        counts_by_unit=by_unit, heatmap=analysis.heatmap(session, ACTOR, period), top=top, new=new, escalated=up,
        deescalated=down, warnings=warnings.list_for_period(session, ACTOR, period),
        breaches=indicators.breach_rows(session, ACTOR, period), completion=rounds.completion(session, ACTOR, period),
        overdue=overdue, previous_warnings=warnings.list_for_period(session, ACTOR, previous),
        register=[RankedRow(n, g.code, g.title, g.unit, g.likelihood, g.impact, g.score, g.level,
                            grading.trend(g.level, before.get(g.risk_id)), unit_id=g.unit_id)
                  for n, g in enumerate(sorted(now.values(), key=lambda g: grading.ranking_key(
                      g.score, g.impact, g.likelihood, g.code)), 1)],
        plan=indicators.plan_progress(session, ACTOR, period),
        progress=progress.collect(session, ACTOR, previous, today),
        uncovered=[r.assessment.risk.code for r in coverage.without_action(session, ACTOR, period)],
    )


def for_unit(data: MonthlyData, unit: Unit) -> MonthlyData:
    """The unit version of a month's figures: UNIT's own rows of every section (risks, grades, warnings, actions,
    completion, indicators, rectifications), the company only as totals (its level counts, warnings, completion
    and actions summed, the plan's company line). The one place that decides what a unit reads of the report:
    no other unit's name, code or title survives it, nor a company-wide item's."""
    def own(unit_id) -> bool:
        return unit_id == unit.id

    register = [r for r in data.register if own(r.unit_id)]
    mine_counts = _level_counts(register)
    cells = {}
    for r in register:
        cells[(r.likelihood, r.impact)] = cells.get((r.likelihood, r.impact), 0) + 1
    heat = {**data.heatmap, "total": len(register),
            "cells": [{**c, "count": cells.get((c["likelihood"], c["impact"]), 0)} for c in data.heatmap["cells"]]}
    top = [r for r in data.top if own(r.unit_id)]
    progress_ = data.progress
    if progress_ is not None:
        progress_ = replace(progress_, rows=[r for r in progress_.rows if own(r.unit_id)],
                            units=[t for t in progress_.units if own(t.unit_id)],
                            without_actions=[w for w in progress_.without_actions if own(w.unit_id)],
                            company=progress_.total)
    completion = [p for p in data.completion if own(p.unit.id)]
    return replace(
        data, counts_by_unit=[(unit.name, mine_counts)], heatmap=heat, top=top,
        new=[c for c in data.new if own(c.unit_id)], escalated=[c for c in data.escalated if own(c.unit_id)],
        deescalated=[c for c in data.deescalated if own(c.unit_id)],
        warnings=[w for w in data.warnings if own(w.unit_id)],
        breaches=[b for b in data.breaches if own(b.indicator.unit_id)], completion=completion,
        overdue=[(r, colour) for r, colour in data.overdue if own(r.responsible_unit_id)],
        previous_warnings=[w for w in data.previous_warnings if own(w.unit_id)], register=register,
        plan=[replace(line, units=[row for row in line.units if row.unit is not None and own(row.unit.id)])
              for line in data.plan],
        progress=progress_, uncovered=[code for code in data.uncovered if code in {r.code for r in top}],
        unit=unit.name, company_warnings=len(data.warnings),
        company_completion=(sum(p.graded for p in data.completion), sum(p.total for p in data.completion)))


def _level_counts(rows) -> dict[str, int]:
    """Risks by level among ROWS (every level present, 0 when none)."""
    counts = {level: 0 for level in grading.LEVELS}
    for r in rows:
        counts[r.level] += 1
    return counts


@dataclass
class AnnualData:
    year: int
    months: list[tuple[str, dict[str, int]]]
    top: list[RankedRow]
    incidents_by_quarter: list[tuple[str, Totals]]
    supervision: dict  # supervision.summary.year_figures, company-wide
    # code -> (Chinese, English) name of the project kinds and code -> name of the lead units in `supervision`.
    kind_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    unit_names: dict[str, str] = field(default_factory=dict)


def annual(session: Session, year: int) -> AnnualData:
    """The year's risk work: level counts by month, its major risks, incidents by quarter, supervision."""
    months = [(f"{year}-{m:02d}", analysis.level_counts(session, ACTOR, f"{year}-{m:02d}")) for m in range(1, 13)]
    best: dict[int, Assessment] = {}
    stmt = select(Assessment).join(Risk, Risk.id == Assessment.risk_id).where(
        Assessment.period.between(f"{year}-01", f"{year}-12"), Risk.status == "active")
    for a in session.scalars(stmt):
        key = grading.ranking_key(a.score, a.impact, a.likelihood, a.risk.code)
        held = best.get(a.risk_id)
        if held is None or key < grading.ranking_key(held.score, held.impact, held.likelihood, held.risk.code):
            best[a.risk_id] = a
    ranked = sorted(best.values(), key=lambda a: grading.ranking_key(a.score, a.impact, a.likelihood, a.risk.code))
    top = [RankedRow(n, a.risk.code, a.risk.title, a.risk.unit.name, a.likelihood, a.impact, a.score, a.level,
                     "same", a.period) for n, a in enumerate(ranked[:10], 1)]
    quarters = []
    for q in range(1, 5):
        totals = Totals()
        for incident in session.scalars(incident_service.query(ACTOR, quarter=f"{year}-Q{q}")).unique():
            totals.add(incident)
        quarters.append((f"{year}-Q{q}", totals))
    figures = supervision_summary.year_figures(session, ACTOR, year)
    kind_names = {k.code: (k.label_zh, k.label_en) for k in supervision_kinds.listed(session, active_only=False)}
    unit_names = dict(session.execute(select(Unit.code, Unit.name).where(
        Unit.code.in_(list(figures["projects"]["by_unit"])))).all())
    return AnnualData(year, months, top, quarters, figures, kind_names, unit_names)


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"
