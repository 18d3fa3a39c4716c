"""One append-only change history for every entity, written in the change's transaction."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Callable

from sqlalchemy import ForeignKey, Index, String, event, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .auth import policy
from .auth.models import Unit
from .db import Base, JSONType, UTCDateTime, utcnow


class ChangeRecord(Base):
    """Who did what to which entity, when, with the fields it changed."""

    __tablename__ = "change_history"
    __table_args__ = (Index("ix_change_history_entity", "entity", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The name is kept as well: history must read the same after a user is renamed.
    actor: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str | None] = mapped_column(String(4000))
    changes: Mapped[dict] = mapped_column(JSONType, default=dict)

    def to_dict(self) -> dict:
        """The API's view of one history row."""
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "comment": self.comment,
            "changes": self.changes or {},
        }


class AppendOnlyError(Exception):
    """History rows are never rewritten or removed."""


@event.listens_for(ChangeRecord, "before_update")
def _refuse_update(_mapper, _connection, target):
    raise AppendOnlyError(f"change history row {target.id} cannot be changed")


@event.listens_for(ChangeRecord, "before_delete")
def _refuse_delete(_mapper, _connection, target):
    raise AppendOnlyError(f"change history row {target.id} cannot be deleted")


def _plain(value):
    """A JSON-safe form of a column value."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj, fields) -> dict:
    """The values of FIELDS on OBJ, JSON-safe, for diffing."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for every field whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(
    session: Session,
    actor,
    entity: str,
    entity_id: int,
    action: str,
    *,
    changes: dict | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    comment: str | None = None,
) -> ChangeRecord:
    """Add one history row to SESSION; the caller's commit makes it durable with the change."""
    row = ChangeRecord(
        at=utcnow(),
        **_author(actor),
        entity=entity,
        entity_id=entity_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        changes=changes or {},
    )
    session.add(row)
    return row


def _author(actor) -> dict:
    """Who a history row names: the user's id and name as it reads now, or the system."""
    return {"actor_id": getattr(actor, "id", None), "actor": actor.label if actor is not None else "system"}


def record_many(session: Session, actor, entity: str, action: str, changes: list[tuple[int, dict]]) -> None:
    """One history row per (entity id, changes), inserted in bulk (an import's thousands of rows)."""
    base = {"at": utcnow(), **_author(actor), "entity": entity, "action": action, "from_state": None,
            "to_state": None, "comment": None}
    session.execute(insert(ChangeRecord), [{**base, "entity_id": entity_id, "changes": change}
                                           for entity_id, change in changes])


def entries_query(entity: str, entity_id: int):
    """The statement selecting every change of one entity, oldest first."""
    return (
        select(ChangeRecord)
        .where(ChangeRecord.entity == entity, ChangeRecord.entity_id == entity_id)
        .order_by(ChangeRecord.id)
    )


def entries(session: Session, entity: str, entity_id: int) -> list[ChangeRecord]:
    """Every change of one entity, oldest first."""
    return list(session.scalars(entries_query(entity, entity_id)))


# entity name -> function(session, id) returning the object whose history it is, or None.
# Each feature registers its entities; the policy then decides who may read them.
ENTITY_LOADERS: dict[str, Callable[[Session, int], object]] = {}
# entity name -> function(session, entry) returning the ids of the units one entry of a shared item speaks of
# (a round reopened for one unit, a recommendation to one unit), or None when it speaks of the item as a whole.
ENTRY_UNITS: dict[str, Callable[[Session, ChangeRecord], set[int] | None]] = {}
# entity name -> the policy's action whose holders may read that entity's history
READ_ACTIONS: dict[str, str] = {}


def register_entity(name: str, loader: Callable[[Session, int], object],
                    entry_units: Callable[[Session, ChangeRecord], set[int] | None] | None = None,
                    read_action: str | None = None) -> None:
    """Make NAME's history readable through GET /history by those who may take READ_ACTION (`NAME.read` by
    default) on the item; ENTRY_UNITS says which units each entry speaks of. An action the policy does not
    know stops the start, not a request."""
    read_action = read_action or f"{name}.read"
    if read_action not in policy.PERMISSIONS:
        raise LookupError(f"history of {name}: the policy has no action {read_action}")
    ENTITY_LOADERS[name] = loader
    READ_ACTIONS[name] = read_action
    if entry_units is not None:
        ENTRY_UNITS[name] = entry_units


def visible_entries_query(session: Session, actor, entity: str, entity_id: int):
    """entries_query() without the entries that speak of units ACTOR may not see."""
    stmt = entries_query(entity, entity_id)
    entry_units = ENTRY_UNITS.get(entity)
    if entry_units is None or not policy.is_unit_scoped(actor):
        return stmt
    hidden = [entry.id for entry in session.scalars(stmt)
              if not policy.sees_all(actor, entry_units(session, entry) or ())]
    return stmt.where(ChangeRecord.id.not_in(hidden)) if hidden else stmt


def visible_entries(session: Session, actor, entity: str, entity_id: int) -> list[ChangeRecord]:
    """Every change of one entity ACTOR may see, oldest first."""
    return list(session.scalars(visible_entries_query(session, actor, entity, entity_id)))


def unit_named(session: Session, entry: ChangeRecord) -> set[int] | None:
    """The unit an entry's `unit` change names by code (a round's reopening or a unit's answer), if any."""
    named = (entry.changes or {}).get("unit", [None, None])[1]
    if named is None:
        return None
    if isinstance(named, int):  # recorded by id when the actor had no unit loaded
        return {named}
    return {session.scalar(select(Unit.id).where(Unit.code == named))}


def codes_named(entry: ChangeRecord, *fields) -> set[str]:
    """Every code the old and new values of FIELDS of an entry name (a code, or a list of codes)."""
    found = set()
    for name in fields:
        for side in (entry.changes or {}).get(name) or ():
            found |= set(side) if isinstance(side, list) else {side} if isinstance(side, str) else set()
    return found


def units_named(session: Session, entry: ChangeRecord, risk_model=None, *, risks=(), units=()) -> set[int] | None:
    """The units an entry speaks of through the codes of RISK_MODEL's rows in its fields RISKS and the unit
    codes of its fields UNITS (old and new values alike), or None when it names none: a unit's roles read such
    an entry only when every one is theirs."""
    risk_codes, unit_codes = codes_named(entry, *risks), codes_named(entry, *units)
    if not risk_codes and not unit_codes:
        return None
    found = set(session.scalars(select(risk_model.unit_id).where(risk_model.code.in_(risk_codes)))) if risk_codes else set()
    if unit_codes:
        found |= set(session.scalars(select(Unit.id).where(Unit.code.in_(unit_codes))))
    return found

