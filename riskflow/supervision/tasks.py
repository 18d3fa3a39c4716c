"""Supervision's share of "waiting on me": reports to verify, recommendations by escalation colour and
projects by state for the inspector; what the responsible unit must accept, report or redo; red items for
the leader."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from .. import periods
from ..auth import policy
from ..main.tasks import Task, provider
from ..workflow import engine
from . import escalation, proposals, service
from . import plan as year_plan
from .models import Recommendation, SupervisionProject

COLOUR_TASKS = (
    ("red", _l("Recommendations under red supervision")),
    ("yellow", _l("Recommendations under a yellow notice")),
    ("blue", _l("Recommendations with a blue reminder")),
)
OPEN_PROJECT_STATES = ("draft", "setup", "monitoring", "recommendation", "rectification")


@provider
def supervision_tasks(session, user) -> list[Task]:
    tasks = []
    today = periods.today()
    blue_days, red_days = escalation.settings()

    def count(*conditions) -> int:
        return service.count_recommendations(session, user, *conditions)

    def by_colour(colour: str) -> int:
        return count(escalation.colour_condition(colour, today, blue_days, red_days))

    if user.role == "inspector":
        tasks.append(Task(_("Rectification reports to verify"), count(Recommendation.state == "submitted"),
                          url_for("supervision.recommendation_list", state="submitted")))
        tasks += [Task(str(label), by_colour(colour), url_for("supervision.recommendation_list", colour=colour),
                       urgent=colour == "red") for colour, label in COLOUR_TASKS]
        n, year = proposals.waiting(session, user, service.PROPOSED, today.year)
        tasks.append(Task(_("Project proposals to review"), n,
                          url_for("supervision.board", year=year, _anchor="lane-proposed")))
        tasks += _projects_by_state(session, user, today.year)
        tasks += _mid_year_inspection(session, user, today)
    if policy.is_unit_scoped(user):
        mine = Recommendation.responsible_unit_id == user.unit_id
        in_progress = Recommendation.state == "in_progress"
        tasks.append(Task(_("Recommendations to accept"), count(mine, Recommendation.state == "issued"),
                          url_for("supervision.recommendation_list", state="issued")))
        tasks.append(Task(_("Rectifications sent back for rework"), count(mine, service.SENT_BACK),
                          url_for("supervision.recommendation_list", state="in_progress", sent_back=1),
                          urgent=True))
        tasks.append(Task(_("Rectifications to report"), count(mine, in_progress, ~service.SENT_BACK),
                          url_for("supervision.recommendation_list", state="in_progress", sent_back=0)))
        tasks.append(Task(_("Overdue rectifications"),
                          count(mine, Recommendation.state != "verified", Recommendation.due_date < today),
                          url_for("supervision.recommendation_list", overdue=1), urgent=True))
    if policy.role_allows(user, "supervision.propose"):
        n, year = proposals.waiting(session, user, service.RETURNED, today.year)
        tasks.append(Task(_("Project proposals sent back"), n,
                          url_for("supervision.board", year=year, _anchor="lane-returned"), urgent=True))
    if user.role == "viewer":
        colour, label = COLOUR_TASKS[0]
        tasks.append(Task(str(label), by_colour(colour), url_for("supervision.recommendation_list", colour=colour),
                          urgent=True))
    return tasks


def _mid_year_inspection(session, user, today) -> list[Task]:
    """During the plan's mid-year inspection window: the year's projects under way not inspected yet."""
    if "inspection" not in year_plan.phase_on(year_plan.plan_for(session, today.year), today):
        return []
    return [Task(_("Projects without a mid-year inspection"),
                 year_plan.count_without_inspection(session, user, today.year),
                 url_for("supervision.plan_page", year=today.year, _anchor="uninspected"))]


def _projects_by_state(session, user, year: int) -> list[Task]:
    """This year's projects still under way, one line per state, each opening its lane of the board."""
    stmt = (service.project_query(user, year=year).order_by(None)
            .with_only_columns(SupervisionProject.state, func.count(SupervisionProject.id))
            .group_by(SupervisionProject.state))
    counts = dict(session.execute(stmt).all())
    workflow = engine.workflows()["supervision_project"]
    return [Task(_("Projects of %(year)s in the state “%(state)s”", year=year,
                   state=engine.state_label(workflow, state)), counts.get(state, 0),
                 url_for("supervision.board", year=year, _anchor=f"lane-{state}"))
            for state in OPEN_PROJECT_STATES]
