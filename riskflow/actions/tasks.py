"""Actions' share of "waiting on me": the unit's actions due soon or overdue and those sent back; the risk
manager's submissions to confirm and the risk department's own due soon. Each count is within the user's
scope and links to the action list filtered to exactly those rows."""
from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import periods
from ..auth import policy
from ..main.tasks import Task, provider
from . import service
from .views import DUE_SOON_DAYS


def _count(session, stmt) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


@provider
def action_tasks(session, user) -> list[Task]:
    if not policy.can(user, "action.read"):
        return []
    today = periods.today()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    tasks = []
    if policy.is_unit_scoped(user):
        tasks.append(Task(_("Your unit's actions due within 7 days or overdue"),
                          _count(session, service.query(user, due_by=soon, today=today)),
                          url_for("actions.index", due="soon")))
        tasks.append(Task(_("Overdue actions of your unit"), _count(session, service.query(user, overdue=True,
                                                                                          today=today)),
                          url_for("actions.index", overdue="true"), urgent=True))
        tasks.append(Task(_("Actions sent back for more work"),
                          _count(session, service.query(user, returned=True, today=today)),
                          url_for("actions.index", returned=1), urgent=True))
    elif user.role in service.COMPANY_OWNERS:
        tasks.append(Task(_("Actions submitted, waiting for your confirmation"),
                          _count(session, service.query(user, state="submitted", today=today)),
                          url_for("actions.index", state="submitted")))
        tasks.append(Task(_("Your actions due within 7 days or overdue"),
                          _count(session, service.query(user, owner=user.username, due_by=soon, today=today)),
                          url_for("actions.index", mine=1, due="soon")))
    return tasks
