"""Who is told: the rules, each one query. `service.notify` keeps of them only who may read the item."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import UNIT_ROLES, User


def _active(session: Session, *conditions) -> list[User]:
    return list(session.scalars(select(User).where(User.active.is_(True), *conditions).order_by(User.username)))


def unit_people(session: Session, unit_ids) -> list[User]:
    """The risk officers and heads of UNIT_IDS (one id or several)."""
    ids = [unit_ids] if isinstance(unit_ids, int) else list(unit_ids)
    if not ids:
        return []
    return _active(session, User.role.in_(UNIT_ROLES), User.unit_id.in_(ids))


def all_units_people(session: Session) -> list[User]:
    """The risk officers and heads of every unit."""
    return _active(session, User.role.in_(UNIT_ROLES), User.unit_id.is_not(None))


def unit_heads(session: Session, unit_id: int) -> list[User]:
    return _active(session, User.role == "unit_head", User.unit_id == unit_id)


def with_role(session: Session, *roles: str) -> list[User]:
    """Every active user of ROLES (the risk managers, the inspectors, the leaders)."""
    return _active(session, User.role.in_(roles))


def action_escalation(session: Session, action, colour: str) -> list[User]:
    """Who is told of ACTION reaching COLOUR: its owner; at red also the unit's head and the risk managers
    (for a company-wide action, the risk managers)."""
    people = [action.owner]
    if colour == "red":
        people += with_role(session, "risk_manager")
        if action.unit_id is not None:
            people += unit_heads(session, action.unit_id)
    return people
