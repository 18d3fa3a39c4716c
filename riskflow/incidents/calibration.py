"""Calibration: a risk whose linked incidents happen more often than its likelihood allows is flagged."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth import policy
from ..register.models import Assessment, Risk
from ..register.risks import latest_assessments
from .models import Incident, incident_risks

# The most incidents a year each likelihood level allows (DOMAIN.md's frequency column, 5-level scale):
# 1 rare: less than once in 10 years; 2 unlikely: once in 5-10 years; 3 possible: once in 2-5 years;
# 4 likely: once within a year; 5 almost certain: at least once a year, no ceiling.
MAX_PER_YEAR = {1: Fraction(1, 10), 2: Fraction(1, 5), 3: Fraction(1, 2), 4: Fraction(1), 5: None}
WINDOW_YEARS = 2


def observed_rate(count: int, years: int = WINDOW_YEARS) -> Fraction:
    """Incidents a year over the window."""
    return Fraction(count, years)


def implied_likelihood(rate: Fraction) -> int:
    """The lowest likelihood level whose frequency admits RATE."""
    for level in (1, 2, 3, 4):
        if rate <= MAX_PER_YEAR[level]:
            return level
    return 5


def is_miscalibrated(likelihood: int, count: int, years: int = WINDOW_YEARS) -> bool:
    """True when COUNT incidents in YEARS happen more often than LIKELIHOOD allows."""
    ceiling = MAX_PER_YEAR.get(likelihood)
    return ceiling is not None and observed_rate(count, years) > ceiling


@dataclass
class Calibration:
    risk: Risk
    latest: Assessment
    incidents: int
    rate: Fraction
    implied: int

    @property
    def rate_text(self) -> str:
        return f"{float(self.rate):g}"


def miscalibrated(session: Session, actor, today: date, risk_id: int | None = None) -> list[Calibration]:
    """Active risks whose incidents in the last two years outrun their newest graded likelihood.

    Only 5-level likelihood scales are judged: the frequency column is defined for five levels. A unit's
    roles count only their unit's incidents, as the library lists them.
    """
    policy.require(actor, "risk.read")
    since = today - timedelta(days=365 * WINDOW_YEARS)
    stmt = (select(incident_risks.c.risk_id, func.count(Incident.id))
            .join(Incident, Incident.id == incident_risks.c.incident_id)
            .where(Incident.occurred_on > since, Incident.occurred_on <= today)
            .group_by(incident_risks.c.risk_id))
    if risk_id is not None:
        stmt = stmt.where(incident_risks.c.risk_id == risk_id)
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where(Incident.unit_id == scope)
    counts = dict(session.execute(stmt).all())
    # Each counted risk's newest likelihood as a plain row first; only the flagged ones load whole.
    newest = (select(Risk.id, Assessment.likelihood)
              .join(Assessment, (Assessment.risk_id == Risk.id) & (Assessment.period == Risk.latest_period))
              .where(Risk.id.in_(list(counts)), Risk.status == "active"))
    if scope is not None:
        newest = newest.where(Risk.unit_id == scope)
    flagged = [rid for rid, likelihood in session.execute(newest) if is_miscalibrated(likelihood, counts[rid])]
    latest = latest_assessments(session, flagged)
    result = []
    for rid in flagged:
        rate = observed_rate(counts[rid])
        result.append(Calibration(latest[rid].risk, latest[rid], counts[rid], rate, implied_likelihood(rate)))
    return sorted(result, key=lambda c: (c.risk.code))
