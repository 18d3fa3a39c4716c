"""Each event the services raise: who is told (the rule), what the title says and where it links. A
service calls the event's function in the transaction of its change; one function per kind, in one place.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..auth.models import User
from . import recipients
from .service import notify


def action_assigned(session: Session, action) -> int:
    """An action was given to its owner (made, or its owner changed): the owner is told."""
    owner = session.get(User, action.owner_id)
    return notify(session, "action_assigned", [owner], action, entity="action",
                  params={"code": action.code, "title": action.title, "due": action.due_date},
                  link=f"/actions/{action.id}")


def lesson_shared(session: Session, incident) -> int:
    """An incident became a warning case (警示案例): every unit's officers and head and the risk managers are
    told, once per incident however often it is marked. Its shared view belongs to the whole company (every
    unit reads it), so the link is the shared case page, never the full incident, and the group message goes to
    the company's robot."""
    people = recipients.all_units_people(session) + recipients.with_role(session, "risk_manager")
    return notify(session, "lesson_shared", people, None, entity="incident", entity_id=incident.id,
                  params={"code": incident.code, "title": incident.title}, link=f"/incidents/cases#{incident.code}",
                  dedupe=f"lesson_shared:{incident.id}", read_action="warning_case.read")
