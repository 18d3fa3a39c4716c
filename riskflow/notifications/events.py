"""Each event the services raise: who is told (the rule), what the title says and where it links. A
service calls the event's function in the transaction of its change; one function per kind, in one place.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..auth.models import User
from .service import notify


def action_assigned(session: Session, action) -> int:
    """An action was given to its owner (made, or its owner changed): the owner is told."""
    owner = session.get(User, action.owner_id)
    return notify(session, "action_assigned", [owner], action, entity="action",
                  params={"code": action.code, "title": action.title, "due": action.due_date},
                  link=f"/actions/{action.id}")
