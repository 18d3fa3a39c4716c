"""The month's top major risks must each have an owned action (open or done): which do not."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..register import analysis
from .models import Action

# How many of the month's highest-ranked risks must have an action.
TOP = 3


def without_action(session: Session, actor, period: str, top: int = TOP) -> list:
    """Those of PERIOD's TOP highest-ranked risks (analysis.Ranked, the major-risk ranking) ACTOR may see that
    have no action other than cancelled ones, in rank order (two queries)."""
    ranked = analysis.major_risks(session, actor, period, top)
    if not ranked:
        return []
    ids = [r.assessment.risk_id for r in ranked]
    covered = set(session.scalars(select(Action.risk_id).where(Action.risk_id.in_(ids),
                                                                Action.state != "cancelled").distinct()))
    return [r for r in ranked if r.assessment.risk_id not in covered]
