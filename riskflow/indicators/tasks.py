"""The indicators' share of "waiting on me": after the report day, last month's values still missing, for
those who report them; for the risk manager, every unit's missing values and the company-wide indicators'
warnings to answer (a unit's roles find theirs in the register's "without a response")."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from .. import periods
from ..auth import policy
from ..register import analysis, warnings
from ..main.tasks import Task, provider
from . import collection, service
from .collection_views import indicator_sheet_url


@provider
def indicator_tasks(session, user) -> list[Task]:
    return _company_warnings(session, user) + _missing_values(session, user)


def _company_warnings(session, user) -> list[Task]:
    """The warnings of company-wide indicators without a response: the risk manager answers them."""
    if not policy.can(user, "warning.confirm"):
        return []
    latest = analysis.latest_period(session, user) or periods.current()
    return [Task(_("Company-wide indicator warnings without a response"),
                 warnings.count_waiting(session, user, latest, "respond", company_wide=True),
                 url_for("board.warning_list", period=latest, unit=warnings.COMPANY_WIDE, todo="respond"))]


def _missing_values(session, user) -> list[Task]:
    period, mine = collection.missing_for(session, user)
    if period is None:  # before the report day nothing is listed
        return []
    tasks = [Task(_("Indicator values of %(period)s not yet reported", period=period), len(mine),
                  indicator_sheet_url(period), urgent=True)]
    if policy.can(user, "indicator.manage"):
        tasks.append(Task(_("Indicator values of %(period)s missing across the company", period=period),
                          len(service.missing(session, user, period)), url_for("collection.missing")))
    return tasks
