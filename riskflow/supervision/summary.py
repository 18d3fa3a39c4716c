"""The year's figures of efficiency supervision (GET /supervision-summary, the year's page, the board and the
annual report all read `year_figures`).

What counts, where the contract is silent:
- projects: the year's projects (`SupervisionProject.year`) that were filed: not draft, proposed, returned or
  cancelled; both origins (company-set and unit-proposed), also counted `by_origin`. `by_unit` is by lead unit
  code, `by_kind` by kind code (only kinds and units with projects appear).
- notices: the 效能监察通知书 numbered in that year (`SupervisionNotice.year`), whichever project they belong to.
- recommendations, of the year's projects: `issued` those gone out to their unit (the project past monitoring,
  `service.is_issued`), `verified` and `overdue` (not verified, past its due date today) among them;
  `closed_loop_rate` is verified ÷ issued as a fraction rounded to 4 places (0 when none issued).
- economic_benefit: the benefits recorded on the year's projects, in yuan, `by_kind` over every benefit kind.
A unit's roles get their own figures: the projects they may see (service.project_query), the notices sent to
their unit, only the recommendations addressed to their unit, and of the benefits those not produced by another
unit's recommendation.
The figures take four queries whatever the number of projects.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import periods
from ..auth import policy
from ..auth.models import Unit
from .models import BENEFIT_KINDS, ORIGINS, Recommendation, SupervisionBenefit, SupervisionNotice, SupervisionProject
from .service import is_overdue, project_query

# States of a project that was never filed (or was withdrawn): not counted in the year's figures.
NOT_FILED = ("draft", "proposed", "returned", "cancelled")
ISSUED_PROJECT_STATES = ("recommendation", "rectification", "closed")


def counted_projects(actor, year: int):
    """The year's filed projects ACTOR may see, as a statement (unordered)."""
    return project_query(actor, year=year).where(SupervisionProject.state.not_in(NOT_FILED)).order_by(None)


def year_figures(session: Session, actor, year: int, today: date | None = None) -> dict:
    """The contract's figures of YEAR as ACTOR may see them; amounts are Decimal (`as_json` for the API)."""
    today = today or periods.today()
    scope = policy.scope_unit_id(actor)
    counted = counted_projects(actor, year)
    projects = session.execute(
        counted.with_only_columns(SupervisionProject.state, SupervisionProject.kind, SupervisionProject.origin,
                                  Unit.code).join(Unit, Unit.id == SupervisionProject.lead_unit_id)).all()
    counted_ids = counted.with_only_columns(SupervisionProject.id)

    notices = select(func.count(SupervisionNotice.id)).where(SupervisionNotice.year == year)
    if scope is not None:
        notices = notices.where(SupervisionNotice.recipient_unit_id == scope)

    recs = select(Recommendation.state, Recommendation.due_date).join(
        SupervisionProject, SupervisionProject.id == Recommendation.project_id).where(
        Recommendation.project_id.in_(counted_ids), SupervisionProject.state.in_(ISSUED_PROJECT_STATES))
    if scope is not None:
        recs = recs.where(Recommendation.responsible_unit_id == scope)
    issued = session.execute(recs).all()
    verified = sum(1 for r in issued if r.state == "verified")

    benefits = select(SupervisionBenefit.kind, func.sum(SupervisionBenefit.amount)).where(
        SupervisionBenefit.project_id.in_(counted_ids)).group_by(SupervisionBenefit.kind)
    if scope is not None:
        others = select(Recommendation.id).where(Recommendation.responsible_unit_id != scope)
        benefits = benefits.where(or_(SupervisionBenefit.recommendation_id.is_(None),
                                      SupervisionBenefit.recommendation_id.not_in(others)))
    by_benefit_kind = {kind: Decimal("0.00") for kind in BENEFIT_KINDS}
    for kind, amount in session.execute(benefits):
        by_benefit_kind[kind] = Decimal(amount).quantize(Decimal("0.01"))

    origins = Counter(p.origin for p in projects)
    return {
        "year": year,
        "projects": {
            "total": len(projects),
            "closed": sum(1 for p in projects if p.state == "closed"),
            "by_kind": dict(sorted(Counter(p.kind for p in projects).items())),
            "by_unit": dict(sorted(Counter(p.code for p in projects).items())),
            "by_origin": {origin: origins.get(origin, 0) for origin in ORIGINS},
        },
        "notices": session.scalar(notices) or 0,
        "recommendations": {"issued": len(issued), "verified": verified,
                            "overdue": sum(1 for r in issued if is_overdue(r, today))},
        "closed_loop_rate": round(verified / len(issued), 4) if issued else 0,
        "economic_benefit": {"total": sum(by_benefit_kind.values(), Decimal("0.00")), "by_kind": by_benefit_kind},
    }


def as_json(figures: dict) -> dict:
    """FIGURES with the amounts as JSON numbers."""
    money = figures["economic_benefit"]
    return {**figures, "economic_benefit": {"total": float(money["total"]),
                                            "by_kind": {k: float(v) for k, v in money["by_kind"].items()}}}


def percent(rate) -> str:
    """A closed-loop rate as people read it: 0.3333 -> 33.3."""
    return f"{float(rate) * 100:.1f}".removesuffix(".0")
