"""The reports' share of "waiting on me": last month's monthly report, once the month has grades."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import periods
from ..auth import policy
from ..main.tasks import Task, provider
from ..register.models import Assessment
from . import service


@provider
def report_tasks(session, user) -> list[Task]:
    if not policy.can(user, "report.create"):
        return []
    last = periods.previous(periods.current())
    graded = session.scalar(select(Assessment.id).where(Assessment.period == last).limit(1)) is not None
    if not graded or service.latest(session, "monthly", last) is not None:
        return []
    return [Task(_("Monthly report for %(period)s not generated yet", period=last), 1, url_for("reports.archive"))]
