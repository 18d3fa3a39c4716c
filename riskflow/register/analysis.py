"""The heat map and the major-risk ranking of a period."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth import policy
from . import grading
from .models import Assessment, Risk
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


def heatmap(session: Session, actor, period: str, unit_id: int | None = None) -> dict:
    """Counts per (likelihood, impact) cell over the whole matrix, with each cell's level."""
    graded = _graded(actor, period, unit_id).subquery()
    stmt = (select(graded.c.likelihood, graded.c.impact, func.count())
            .group_by(graded.c.likelihood, graded.c.impact))
    counts = {(l, i): n for l, i, n in session.execute(stmt)}
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
    stmt = (_graded(actor, period, unit_id)
            .order_by(Assessment.score.desc(), Assessment.impact.desc(), Assessment.likelihood.desc(), Risk.code)
            .limit(top))
    return [Ranked(n, a) for n, a in enumerate(session.scalars(stmt), 1)]


def latest_period(session: Session, actor) -> str | None:
    """The newest period with any grade ACTOR may see."""
    stmt = select(func.max(Assessment.period)).join(Risk, Risk.id == Assessment.risk_id)
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where(Risk.unit_id == scope)
    return session.scalar(stmt)


def level_counts(session: Session, actor, period: str, unit_id: int | None = None) -> dict[str, int]:
    """How many graded active risks each level has in PERIOD."""
    graded = _graded(actor, period, unit_id).subquery()
    rows = session.execute(select(graded.c.level, func.count()).group_by(graded.c.level))
    counts = dict.fromkeys(grading.LEVELS, 0)
    counts.update({level: n for level, n in rows})
    return counts
