"""Supervision's share of "waiting on me"."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import periods
from ..auth import policy
from ..main.tasks import Task, provider
from .models import Recommendation


@provider
def supervision_tasks(session, user) -> list[Task]:
    tasks = []
    count = lambda *conditions: session.scalar(select(func.count(Recommendation.id)).where(*conditions))  # noqa: E731
    if user.role == "inspector":
        tasks.append(Task(_("Rectification reports to verify"), count(Recommendation.state == "submitted"),
                          url_for("supervision.recommendation_list", state="submitted")))
    if policy.is_unit_scoped(user):
        mine = Recommendation.responsible_unit_id == user.unit_id
        tasks.append(Task(_("Recommendations to accept"), count(mine, Recommendation.state == "issued"),
                          url_for("supervision.recommendation_list", state="issued")))
        tasks.append(Task(_("Rectifications to report"), count(mine, Recommendation.state == "in_progress"),
                          url_for("supervision.recommendation_list", state="in_progress")))
        tasks.append(Task(_("Overdue rectifications"),
                          count(mine, Recommendation.state != "verified", Recommendation.due_date < periods.today()),
                          url_for("supervision.recommendation_list", overdue=1), urgent=True))
    return tasks
