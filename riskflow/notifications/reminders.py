"""The time-driven notifications the daily overdue_check job raises: a grading round about to close
(`round_due`), an action reaching its escalation colour (`action_due` at blue, `action_overdue` at yellow and
again at red). Each is raised with a dedupe key of kind, item and day, so it is stored once per item and day
however many schedulers run the job."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth import policy
from ..register import rounds, sheets
from ..register.models import GradingRound
from ..supervision.labels import ESCALATION_LABELS
from . import events, kinds, recipients
from .service import notify


def _colour_params(params: dict) -> dict:
    """An action reminder's colour (stored as blue/yellow/red) by its name in the reader's language."""
    colour = params.get("colour")
    return {"colour": str(ESCALATION_LABELS[colour])} if colour in ESCALATION_LABELS else {}


kinds.READ_PARAMS["action_due"] = kinds.READ_PARAMS["action_overdue"] = _colour_params

# How many days before a round's deadline its units still grading are reminded.
ROUND_DUE_DAYS = 2


def rounds_due(session: Session, day: date, now: datetime | None = None) -> int:
    """On DAY, tell the officers and head of each unit still `grading` in an open round whose deadline is
    ROUND_DUE_DAYS away (a unit without a sheet is grading; a round opened before sign-off has no sheets and
    is left alone). Returns how many units were reminded."""
    due = session.scalars(select(GradingRound).where(GradingRound.closed_at.is_(None),
                                                     GradingRound.deadline == day + timedelta(days=ROUND_DUE_DAYS)))
    reminded = 0
    for rnd in due:
        for progress in rounds.completion(session, policy.SYSTEM, rnd.period):
            if progress.state != sheets.INITIAL:
                continue
            unit = progress.unit
            notify(session, "round_due", recipients.unit_people(session, unit.id), sheets.unit_scope(unit),
                   entity="grading_round", entity_id=rnd.id,
                   params={"period": rnd.period, "deadline": rnd.deadline, "unit": unit.name},
                   link=events.grading_link(rnd.period), dedupe=f"round_due:{rnd.id}-{unit.id}:{day.isoformat()}",
                   now=now)
            reminded += 1
    return reminded


def action_colour(session: Session, action, colour: str, day: date, now: datetime | None = None) -> int:
    """ACTION reached COLOUR on DAY: blue is `action_due`, yellow and red `action_overdue`. Returns how many
    people were told."""
    kind = "action_due" if colour == "blue" else "action_overdue"
    return notify(session, kind, recipients.action_escalation(session, action, colour), action, entity="action",
                  params={"colour": colour, "code": action.code, "date": action.due_date},
                  link=f"/actions/{action.id}", dedupe=f"{kind}:{action.id}:{day.isoformat()}", now=now)
