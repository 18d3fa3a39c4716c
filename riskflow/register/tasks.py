"""The register's share of "waiting on me": the month's grading, warnings to answer or confirm, the leader's
major risks. Every count is within the user's scope and links to the list filtered to exactly those rows."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from .. import periods
from ..auth import policy
from ..main.tasks import Task, provider
from . import analysis, rounds, sheets, warnings

NEAR_DAYS = 3  # a deadline this close (or closer) is urgent


@provider
def register_tasks(session, user) -> list[Task]:
    today = periods.today()
    graded = analysis.latest_period(session, user)
    latest = graded or periods.of(today)
    current = rounds.latest(session)
    tasks = []
    if policy.is_unit_scoped(user):
        tasks += _unit_grading(session, user, current, today)
        tasks += _unit_sheet(session, user, current)
        if policy.can(user, "warning.update"):
            tasks.append(Task(_("Warnings of your unit without a response"),
                              warnings.count_waiting(session, user, latest, "respond"),
                              url_for("board.warning_list", period=latest, todo="respond")))
    if current is not None and policy.can(user, "round.manage") and not rounds.is_closed(current, today):
        tasks.append(_units_behind(session, user, current, today))
    if current is not None and user.role == "risk_manager":
        waiting = [p for p in rounds.completion(session, user, current.period) if p.state == "confirmed"]
        tasks.append(Task(_("Grading sheets of %(period)s to accept", period=current.period), len(waiting),
                          url_for("board.round_list") + f"#round-{current.period}"))
    if policy.can(user, "warning.confirm"):
        tasks.append(Task(_("Warnings reported complete, waiting for your confirmation"),
                          warnings.count_waiting(session, user, latest, "confirm"),
                          url_for("board.warning_list", period=latest, todo="confirm")))
    if user.role == "viewer" and graded is not None:
        tasks += _leader(session, user, latest)
    return tasks


def _unit_grading(session, user, rnd, today) -> list[Task]:
    """The unit's grading of the newest round while the unit may still grade it: graded of all."""
    if rnd is None or not rounds.is_open_for(session, rnd.period, user.unit_id):
        return []
    progress = next((p for p in rounds.completion(session, user, rnd.period) if p.unit.id == user.unit_id), None)
    if progress is None:
        return []
    deadline = rounds.deadline_for(session, rnd, user.unit_id)
    numbers = dict(period=rnd.period, graded=progress.graded, total=progress.total, date=deadline.isoformat())
    if policy.can(user, "assessment.write"):
        label = _("Grade the risks of %(period)s: %(graded)s/%(total)s graded, deadline %(date)s", **numbers)
        url = url_for("board.grading", period=rnd.period)
    else:
        label = _("Your unit's grading of %(period)s: %(graded)s/%(total)s graded, deadline %(date)s", **numbers)
        url = url_for("board.heatmap", period=rnd.period, unit=user.unit.code)
    return [Task(label, progress.total - progress.graded, url, urgent=(deadline - today).days <= NEAR_DAYS)]


def _unit_sheet(session, user, rnd) -> list[Task]:
    """The unit's grading sheet of the newest round: the officer submits it once every risk is graded (or
    again once returned, with the reason), the unit head confirms it."""
    if rnd is None:
        return []
    progress = next((p for p in rounds.completion(session, user, rnd.period) if p.unit.id == user.unit_id), None)
    if progress is None or progress.state is None:
        return []
    url = url_for("board.grading", period=rnd.period)
    if user.role == "risk_officer" and progress.state == sheets.INITIAL:
        if progress.returned_reason:
            return [Task(_("Your grading sheet of %(period)s was returned: %(reason)s", period=rnd.period,
                           reason=progress.returned_reason), 1, url, urgent=True)]
        if progress.total and progress.graded >= progress.total:
            return [Task(_("Every risk of %(period)s is graded: submit the grading sheet for review",
                           period=rnd.period), 1, url)]
    if user.role == "unit_head" and progress.state == "submitted":
        return [Task(_("Review your unit's grading sheet of %(period)s", period=rnd.period), 1, url)]
    return []


def _units_behind(session, user, rnd, today) -> Task:
    """The units that have not finished the open round; urgent in its last days."""
    behind = [p for p in rounds.completion(session, user, rnd.period) if p.graded < p.total]
    days = (rnd.deadline - today).days
    date = rnd.deadline.isoformat()
    if days > NEAR_DAYS:
        label = _("Units still grading %(period)s (deadline %(date)s)", period=rnd.period, date=date)
    elif days == 0:
        label = _("Units still grading %(period)s: the round closes today (%(date)s)", period=rnd.period, date=date)
    else:
        label = _("Units still grading %(period)s: the round closes on %(date)s (days left: %(days)s)",
                  period=rnd.period, date=date, days=days)
    return Task(label, len(behind), url_for("board.round_list"), urgent=days <= NEAR_DAYS)


def _leader(session, user, period) -> list[Task]:
    """The month's top 3 major risks, named, and how many risks are at the red (major) level."""
    top = analysis.major_risks(session, user, period, 3)
    return [
        Task(_("The top 3 major risks of %(period)s", period=period), len(top),
             url_for("board.heatmap", period=period),
             items=tuple((f"{r.assessment.risk.code} {r.assessment.risk.title}",
                          url_for("register.risk_detail", risk_id=r.assessment.risk_id)) for r in top)),
        Task(_("Risks at the red (major) level in %(period)s", period=period),
             analysis.level_counts(session, user, period)["major"],
             url_for("register.risk_list", period=period, level="major"), urgent=True),
    ]
