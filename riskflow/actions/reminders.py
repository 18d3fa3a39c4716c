"""Overdue actions escalate by the rectifications' rule (riskflow.escalation): the daily overdue_check job
stores the colour each open action has reached and announces each colour once, as a notification
(riskflow.notifications.reminders says who is told)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .. import escalation, history
from ..auth import policy
from .models import OPEN_STATES, Action


@dataclass
class Reminder:
    """One action that reached a colour today."""

    action: Action
    colour: str


def escalate(session: Session, today: date) -> list[Reminder]:
    """Store every action's colour for TODAY and record each change in its history; returns the reminders to
    announce, one for each colour reached (a colour already announced is not announced again)."""
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
            reminders.append(Reminder(action, level))
    return reminders
