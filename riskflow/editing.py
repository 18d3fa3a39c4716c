"""What every edit of a recorded item shares: which fields may be sent, the version moving on, the history row,
and who may edit what now (for the pages' edit links). Each feature says its own rules: the action whose
holders edit its items and when an item is still editable."""
from __future__ import annotations

from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from . import history
from .auth import policy
from .errors import FieldErrors

# model class -> (the policy's action that edits it, function(item) -> True while its state allows an edit)
RULES: dict[type, tuple[str, Callable[[object], bool]]] = {}


def register(model: type, action: str, editable: Callable[[object], bool]) -> None:
    """Declare that MODEL's items are edited by the holders of ACTION while EDITABLE(item) holds."""
    RULES[model] = (action, editable)


def may_edit(actor, item) -> bool:
    """True when ACTOR may edit ITEM now: the role, the unit and the item's state all allow it."""
    action, editable = RULES[type(item)]
    return policy.can(actor, action, item) and editable(item)


def refuse_unknown(data: dict, fields, errors: FieldErrors) -> None:
    """Add an error for each field of DATA that is not among FIELDS (nor the version)."""
    for name in sorted(set(data) - set(fields) - {"version"}):
        errors.add(name, _l("This field cannot be changed."))


def apply(item, values: dict) -> None:
    """Set each of VALUES on ITEM."""
    for name, value in values.items():
        setattr(item, name, value)


def record(session: Session, actor, item, before: dict, after: dict) -> dict:
    """Write the edit: the version moves on (even when only a list of links changed) and the history keeps
    each changed field's old and new value. Nothing happens when nothing changed; returns the changes."""
    changes = history.diff(before, after)
    if changes:
        # The row's version column guards the UPDATE against a writer who saved in between (409).
        item.version = item.version + 1
        session.flush()
        history.record(session, actor, item.HISTORY_ENTITY, item.id, "update", changes=changes)
    return changes
