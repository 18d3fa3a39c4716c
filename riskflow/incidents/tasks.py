"""The incident library's share of "waiting on me": the quarter's report or nil report of the officer's unit."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from .. import periods
from ..auth import policy
from ..main.tasks import Task, provider
from . import rounds


@provider
def incident_tasks(session, user) -> list[Task]:
    """One task per open collection the user's unit has not answered: its incidents, or a nil report."""
    if not (policy.can(user, "incident_round.answer") and policy.is_unit_scoped(user)):
        return []
    today = periods.today()
    return [Task(_("Incidents of %(quarter)s to report, or a nil report (deadline %(date)s)", quarter=rnd.quarter,
                   date=rnd.deadline.isoformat()), 1, url_for("incidents.collection", quarter=rnd.quarter),
                 urgent=(rnd.deadline - today).days <= 3)
            for rnd in rounds.waiting(session, user.unit_id)]
