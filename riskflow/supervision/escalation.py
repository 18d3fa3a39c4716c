"""Overdue rectifications escalate in three colours (riskflow.escalation, the rule actions share): blue before
the deadline, yellow when due or behind, red when long overdue. The daily overdue_check job calls escalate()."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import escalation as shared
from .. import history
from ..auth import policy
from ..auth.models import User
from .models import Recommendation

# The rule is shared with actions; rectifications use it under these names.
settings, colour = shared.settings, shared.colour


def colour_condition(level: str, today: date, blue_days: int = 7, red_days: int = 30):
    """The SQL condition matching the recommendations whose colour() on TODAY is LEVEL (the same rule)."""
    return shared.condition(Recommendation.due_date, Recommendation.state != "verified", level, today, blue_days,
                            red_days)


@dataclass
class Reminder:
    """Who is told about one rectification, and in which colour."""

    recommendation: Recommendation
    colour: str
    recipients: list[User] = field(default_factory=list)


def recipients(session: Session, rec: Recommendation, level: str) -> list[User]:
    """Blue: the owning unit; yellow: it and the leaders in charge; red: the unit head and discipline inspection."""
    unit_people = list(session.scalars(select(User).where(
        User.unit_id == rec.responsible_unit_id, User.active.is_(True),
        User.role.in_(("unit_head", "risk_officer") if level != "red" else ("unit_head",)))))
    extra_roles = {"blue": (), "yellow": ("viewer",), "red": ("inspector",)}[level]
    extra = list(session.scalars(select(User).where(User.role.in_(extra_roles), User.active.is_(True)))) \
        if extra_roles else []
    return sorted(unit_people + extra, key=lambda u: u.username)


def escalate(session: Session, today: date) -> list[Reminder]:
    """Set every open rectification's colour for TODAY; returns the reminders to send.

    A reminder is due when the colour changes, so each colour is announced once.
    """
    blue_days, red_days = settings()
    reminders = []
    stmt = select(Recommendation).where(Recommendation.state != "verified").order_by(Recommendation.due_date)
    for rec in session.scalars(stmt):
        level = colour(rec.due_date, False, today, blue_days, red_days)
        if level == rec.escalation:
            continue
        previous = rec.escalation
        rec.escalation, rec.escalated_on = level, today
        history.record(session, policy.SYSTEM, "recommendation", rec.id, "escalate",
                       changes={"escalation": [previous, level]})
        if level is not None:
            reminders.append(Reminder(rec, level, recipients(session, rec, level)))
    return reminders
