"""The register's share of "waiting on me": ungraded risks, unanswered warnings, lagging units."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import periods
from ..auth import policy
from ..main.tasks import Task, provider
from . import rounds
from .models import Assessment, Risk, RiskWarning


@provider
def register_tasks(session, user) -> list[Task]:
    tasks = []
    current = rounds.latest(session)
    today = periods.today()
    if current is not None and policy.can(user, "assessment.write") and policy.is_unit_scoped(user):
        if rounds.is_open_for(session, current.period, user.unit_id):
            graded = select(Assessment.risk_id).where(Assessment.period == current.period)
            # The month's risks still to grade (only active ones can be graded).
            missing = session.scalar(select(func.count(Risk.id)).where(
                Risk.unit_id == user.unit_id, rounds.risks_of_month(current.period), Risk.status == "active",
                Risk.id.not_in(graded)))
            tasks.append(Task(_("Risks to grade for %(period)s (deadline %(date)s)", period=current.period,
                                date=current.deadline.isoformat()), missing,
                              url_for("board.grading", period=current.period),
                              urgent=(current.deadline - today).days <= 3))
    if policy.can(user, "warning.update") and policy.is_unit_scoped(user):
        open_warnings = session.scalar(select(func.count(RiskWarning.id)).join(Risk, Risk.id == RiskWarning.risk_id)
                                       .where(Risk.unit_id == user.unit_id, RiskWarning.status != "done",
                                              RiskWarning.period >= periods.shift(periods.current(), -1)))
        tasks.append(Task(_("Warnings of your unit still being answered"), open_warnings,
                          url_for("board.warning_list")))
    if current is not None and policy.can(user, "round.manage") and not rounds.is_closed(current, today):
        lagging = [p for p in rounds.completion(session, user, current.period) if p.graded < p.total]
        tasks.append(Task(_("Units that have not finished grading %(period)s", period=current.period),
                          len(lagging), url_for("board.heatmap", period=current.period)))
    return tasks
