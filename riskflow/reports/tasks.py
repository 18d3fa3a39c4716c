"""The reports' share of "waiting on me": last month's monthly report once the month has grades, and a monthly
draft waiting to be reviewed and issued."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import periods
from ..auth import policy
from ..main.tasks import Task, provider
from ..register.models import Assessment
from . import service
from .models import Report


@provider
def report_tasks(session, user) -> list[Task]:
    if not policy.can(user, "report.create"):
        return []
    tasks = []
    # The newest monthly report (of the newest month, its newest revision) still a draft.
    draft = session.scalar(select(Report).where(Report.kind == "monthly", Report.state == "ready")
                           .order_by(Report.period.desc(), Report.revision.desc()).limit(1))
    if draft is not None and draft.status == "draft" and policy.can(user, "report.issue"):
        tasks.append(Task(_("The monthly report for %(period)s is a draft: review and issue it", period=draft.period),
                          1, url_for("reports.review_page", report_id=draft.id)))
    last = periods.previous(periods.current())
    graded = session.scalar(select(Assessment.id).where(Assessment.period == last).limit(1)) is not None
    if graded and service.latest(session, "monthly", last) is None:
        tasks.append(Task(_("Monthly report for %(period)s not generated yet", period=last), 1,
                          url_for("reports.archive")))
    return tasks
