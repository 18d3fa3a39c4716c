"""What every edit of a recorded item shares: which fields may be sent, the version moving on, the history row,
and who may edit what now (for the pages' edit links). Each feature says its own rules: the action whose
holders edit its items and when an item is still editable."""
from __future__ import annotations

from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from . import history, versions
from .auth import policy
from .errors import Conflict, FieldErrors
from .workflow import engine

# model class -> (the policy's action that edits it, or a function(item) naming it by the item's state,
#                 function(item) -> True while its state allows an edit)
RULES: dict[type, tuple[str | Callable[[object], str], Callable[[object], bool]]] = {}


def register(model: type, action: str | Callable[[object], str], editable: Callable[[object], bool]) -> None:
    """Declare that MODEL's items are edited by the holders of ACTION (or of ACTION(item)) while EDITABLE(item)
    holds."""
    RULES[model] = (action, editable)


def action_of(item) -> str:
    """The policy's action whose holders edit ITEM now."""
    action = RULES[type(item)][0]
    return action(item) if callable(action) else action


def may_edit(actor, item) -> bool:
    """True when ACTOR may edit ITEM now: the role, the unit and the item's state all allow it."""
    editable = RULES[type(item)][1]
    return policy.can(actor, action_of(item), item) and editable(item)


def refuse_unknown(data: dict, fields, errors: FieldErrors) -> None:
    """Add an error for each field of DATA that is not among FIELDS (nor the version)."""
    for name in sorted(set(data) - set(fields) - {"version"}):
        errors.add(name, _l("This field cannot be changed."))


def state_label(item) -> str:
    """The name of ITEM's state in the current language."""
    return engine.state_label(engine.definition(item), item.state)


def state_refused(item, message) -> Conflict:
    """The 409 of an edit the item's state no longer allows, MESSAGE saying which states do."""
    return Conflict(message, {"state": [_l("Not possible in the state %(state)s.", state=state_label(item))]})


def checked(item, data: dict, fields, clean: Callable[[FieldErrors], dict], *, label: str, refused,
            not_saved) -> dict:
    """The values of an edit of ITEM, in the order every edit checks them: the version and the fields sent
    (only FIELDS), the item's state (REFUSED, 409), CLEAN's checks of the values (NOT_SAVED, 422), then the
    version read against the item's (409 naming the item by LABEL)."""
    errors = FieldErrors()
    version_read = versions.read(data, errors)
    refuse_unknown(data, fields, errors)
    if not RULES[type(item)][1](item):
        raise state_refused(item, refused)
    values = clean(errors)
    errors.raise_if_any(not_saved)
    versions.refuse_stale(version_read, item.version, _l(
        "Someone else changed %(item)s since you read it (version %(theirs)s, yours %(yours)s); "
        "reload it and make your change again.", item=label, theirs=item.version, yours=version_read))
    return values


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
