"""Overdue actions escalate by the rectifications' rule (riskflow.escalation): the daily overdue_check job
stores the colour each open action has reached, announces each colour once and says who is told.

Blue and yellow go to the owner; red to the owner, the unit's head and the risk managers (for a company-wide
action, the risk managers)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .. import escalation, history
from ..auth import policy
from ..auth.models import User
from ..supervision.labels import ESCALATION_LABELS
from .models import OPEN_STATES, Action


@dataclass
class Reminder:
    """Who is told about one action, and in which colour."""

    action: Action
    colour: str
    recipients: list[User] = field(default_factory=list)


def recipients(session: Session, action: Action, level: str) -> list[User]:
    """The active people told of ACTION reaching LEVEL, each once, by username."""
    people = {action.owner.id: action.owner} if action.owner.active else {}
    if level == "red":
        wanted = User.role == "risk_manager"
        if action.unit_id is not None:
            wanted = or_(wanted, (User.role == "unit_head") & (User.unit_id == action.unit_id))
        for user in session.scalars(select(User).where(wanted, User.active.is_(True))):
            people[user.id] = user
    return sorted(people.values(), key=lambda u: u.username)


def escalate(session: Session, today: date) -> list[Reminder]:
    """Store every action's colour for TODAY and record each change in its history; returns the reminders to
    send, one for each colour reached (a colour already announced is not announced again)."""
    blue_days, red_days = escalation.settings()
    stmt = (select(Action).where(or_(Action.state.in_(OPEN_STATES), Action.escalation.is_not(None)))
            .order_by(Action.due_date, Action.id))
    reminders = []
    for action in session.scalars(stmt):
        level = escalation.colour(action.due_date, action.state not in OPEN_STATES, today, blue_days, red_days)
        if level == action.escalation:
            continue
        previous = action.escalation
        # Not an edit: the action's version stays, so a page read before the job still saves.
        session.execute(update(Action).where(Action.id == action.id)
                        .values(escalation=level, escalated_on=today)
                        .execution_options(synchronize_session=False))
        set_committed_value(action, "escalation", level)
        set_committed_value(action, "escalated_on", today)
        history.record(session, policy.SYSTEM, "action", action.id, "escalate",
                       changes={"escalation": [previous, level]})
        if level is not None:
            reminders.append(Reminder(action, level, recipients(session, action, level)))
    return reminders


def message(reminder: Reminder) -> tuple[str, str]:
    """The subject and body of REMINDER in the current language."""
    action = reminder.action
    due = action.due_date.isoformat()
    if reminder.colour == "blue":
        subject = _("%(colour)s: action %(code)s is due %(date)s", colour=ESCALATION_LABELS["blue"],
                    code=action.code, date=due)
    else:
        subject = _("%(colour)s: action %(code)s was due %(date)s and is not done",
                    colour=ESCALATION_LABELS[reminder.colour], code=action.code, date=due)
    body = _("%(code)s %(title)s\nOwner: %(owner)s\nDue: %(date)s.\n\nriskflow", code=action.code,
             title=action.title, owner=action.owner.label, date=due)
    return subject, body
