"""The heat map and the major-risk ranking of a period."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth import policy
from . import grading
from .models import RISK_STATUSES, Assessment, Risk
from .standard import current as current_standard


def _graded(actor, period: str, unit_id: int | None):
    """Assessments of PERIOD for active risks ACTOR may see."""
    policy.require(actor, "risk.read")
    stmt = (select(Assessment).join(Risk, Risk.id == Assessment.risk_id)
            .where(Assessment.period == period, Risk.status == "active"))
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where(Risk.unit_id == scope)
    if unit_id is not None:
        stmt = stmt.where(Risk.unit_id == unit_id)
    return stmt


INACTIVE = tuple(status for status in RISK_STATUSES if status != "active")


def _counts(session: Session, actor, period: str, unit_id: int | None, *columns) -> Counter:
    """PERIOD's graded active risks ACTOR may see, counted by COLUMNS of their grade.

    Company-wide, every grade of the month is counted from the (period, likelihood, impact, level) index
    alone, and the grades of risks no longer active (few) are taken off: checking each grade's risk cost
    more than the count itself. A unit's counts join its risks."""
    policy.require(actor, "risk.read")
    counts = Counter()
    if policy.scope_unit_id(actor) is None and unit_id is None:
        every = select(*columns, func.count()).where(Assessment.period == period).group_by(*columns)
        # `period || ''` keeps SQLite from reading the month's grades by their period index here: it starts
        # from the few inactive risks instead (PostgreSQL plans it either way).
        inactive = (select(*columns, func.count()).select_from(Risk)
                    .join(Assessment, (Assessment.risk_id == Risk.id) & ((Assessment.period + "") == period))
                    .where(Risk.status.in_(INACTIVE)).group_by(*columns))
        for *key, n in session.execute(every):
            counts[tuple(key)] += n
        for *key, n in session.execute(inactive):
            counts[tuple(key)] -= n
    else:
        stmt = _graded(actor, period, unit_id).with_only_columns(*columns, func.count()).group_by(*columns)
        for *key, n in session.execute(stmt):
            counts[tuple(key)] += n
    return +counts  # without the cells that came to nothing


def heatmap(session: Session, actor, period: str, unit_id: int | None = None) -> dict:
    """Counts per (likelihood, impact) cell over the whole matrix, with each cell's level."""
    counts = _counts(session, actor, period, unit_id, Assessment.likelihood, Assessment.impact)
    _, standard = current_standard(session)
    size_l = max([len(standard.likelihood)] + [l for l, _ in counts])
    size_i = max([len(standard.impact)] + [i for _, i in counts])
    cells = [{"likelihood": l, "impact": i, "count": counts.get((l, i), 0),
              "level": grading.cell_level(standard, l, i)}
             for l in range(1, size_l + 1) for i in range(1, size_i + 1)]
    return {"period": period, "total": sum(counts.values()), "cells": cells}


@dataclass
class Ranked:
    rank: int
    assessment: Assessment

    def to_dict(self) -> dict:
        a = self.assessment
        return {"rank": self.rank, "risk_id": a.risk_id, "code": a.risk.code, "title": a.risk.title,
                "unit": a.risk.unit.code, "likelihood": a.likelihood, "impact": a.impact, "score": a.score,
                "level": a.level}


def major_risks(session: Session, actor, period: str, top: int = 10, unit_id: int | None = None) -> list[Ranked]:
    """The TOP highest-ranked active risks graded in PERIOD, in the contract's order."""
    # The ids first, from the ranking index alone; then just those grades with their risks.
    ranking = (_graded(actor, period, unit_id).with_only_columns(Assessment.id)
               .order_by(Assessment.score.desc(), Assessment.impact.desc(), Assessment.likelihood.desc(), Risk.code)
               .limit(top))
    ids = list(session.scalars(ranking))
    if not ids:
        return []
    loaded = {a.id: a for a in session.scalars(select(Assessment).where(Assessment.id.in_(ids)))}
    return [Ranked(n, loaded[i]) for n, i in enumerate(ids, 1)]


def latest_period(session: Session, actor) -> str | None:
    """The newest period with any grade ACTOR may see."""
    stmt = select(func.max(Assessment.period)).join(Risk, Risk.id == Assessment.risk_id)
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where(Risk.unit_id == scope)
    return session.scalar(stmt)


def level_counts(session: Session, actor, period: str, unit_id: int | None = None) -> dict[str, int]:
    """How many graded active risks each level has in PERIOD."""
    counts = dict.fromkeys(grading.LEVELS, 0)
    counts.update({level: n for (level,), n in _counts(session, actor, period, unit_id, Assessment.level).items()})
    return counts
