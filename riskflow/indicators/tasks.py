"""The indicators' share of "waiting on me": after the report day, last month's values still missing, for
those who report them; and for the risk manager, every unit's missing values."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..auth import policy
from ..main.tasks import Task, provider
from . import collection, service
from .collection_views import indicator_sheet_url


@provider
def indicator_tasks(session, user) -> list[Task]:
    period, mine = collection.missing_for(session, user)
    if period is None:  # before the report day nothing is listed
        return []
    tasks = [Task(_("Indicator values of %(period)s not yet reported", period=period), len(mine),
                  indicator_sheet_url(period), urgent=True)]
    if policy.can(user, "indicator.manage"):
        tasks.append(Task(_("Indicator values of %(period)s missing across the company", period=period),
                          len(service.missing(session, user, period)), url_for("collection.missing")))
    return tasks
