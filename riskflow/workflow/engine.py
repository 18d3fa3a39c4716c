"""Firing transitions: state, role, required fields and guard checked, then one atomic change with its history."""
from __future__ import annotations

from typing import Callable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .. import history
from ..auth import policy
from ..errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound
from ..i18n import current_language
from .definition import Transition, Workflow

# guard name -> function(session, item, actor, fields) returning None when it passes, else the reason.
GUARDS: dict[str, Callable] = {}
# (workflow, transition) -> function(session, item, actor, fields) run after the state has changed.
EFFECTS: dict[tuple[str, str], Callable] = {}
# field (or (workflow, field), which wins) -> the message of a transition's missing required field.
REQUIRED_MESSAGES = {
    "comment": _l("A comment is required."),
    "report": _l("The rectification report is required."),
    ("action", "report"): _l("Say what was done."),
}


def guard(name: str):
    """Register a guard under NAME for the YAML files to refer to."""

    def register(fn):
        GUARDS[name] = fn
        return fn

    return register


def effect(workflow: str, transition: str):
    """Register what TRANSITION of WORKFLOW does besides changing the state."""

    def register(fn):
        EFFECTS[(workflow, transition)] = fn
        return fn

    return register


def workflows() -> dict[str, Workflow]:
    """The definitions loaded at start-up."""
    return current_app.extensions["riskflow.workflows"]


def definition(item) -> Workflow:
    return workflows()[item.WORKFLOW]


def _role_may(actor, transition: Transition) -> bool:
    """The YAML file alone says which roles take a transition."""
    return actor.role in transition.roles


def options(session: Session, item, actor) -> list[tuple[Transition, object]]:
    """(transition, reason it is blocked or None) for each transition ACTOR's role may take from ITEM's state."""
    if not policy.in_write_scope(actor, item):
        return []
    result = []
    for transition in definition(item).available(item.state):
        if not _role_may(actor, transition):
            continue
        reason = GUARDS[transition.guard](session, item, actor, {}) if transition.guard else None
        result.append((transition, reason))
    return result


def allowed(session: Session, item, actor) -> list[Transition]:
    """The transitions ACTOR may take on ITEM now: from its state, by role, unit and guard."""
    return [transition for transition, reason in options(session, item, actor) if reason is None]


def fire(session: Session, item, name: str, actor, /, **fields):
    """Take transition NAME on ITEM: 409 wrong state, 403 role, 422 missing field or failed guard."""
    workflow = definition(item)
    if not policy.in_scope(actor, item):
        raise NotFound(_l("Not found."))
    transition = workflow.transitions.get(name)
    if transition is None or item.state not in transition.sources:
        raise Conflict(_l("%(name)s is not possible from the state %(state)s.", name=name,
                          state=state_label(workflow, item.state)), {"transition": [_l("Not possible now.")]})
    if not _role_may(actor, transition):
        raise Forbidden(_l("Your role may not take %(name)s.", name=transition_label(transition)))
    policy.require_write_scope(actor, item)
    missing = FieldErrors()
    for required in transition.requires:
        value = fields.get(required)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.add(required, REQUIRED_MESSAGES.get((workflow.name, required))
                        or REQUIRED_MESSAGES.get(required, _l("This field is required.")))
    for name, value in fields.items():
        if isinstance(value, str) and len(value) > 4000:
            missing.add(name, _l("At most %(n)d characters.", n=4000))
    missing.raise_if_any(_l("%(name)s needs more information.", name=transition_label(transition)))
    if transition.guard:
        reason = GUARDS[transition.guard](session, item, actor, fields)
        if reason is not None:
            raise Invalid(reason, {"transition": [reason]})
    source = item.state
    model = type(item)
    try:
        result = session.execute(
            update(model).where(model.id == item.id, model.state == source)
            .values(state=transition.target, version=model.version + 1)
            .execution_options(synchronize_session=False))
    except OperationalError as exc:
        # SQLite refuses a writer whose snapshot another writer has just changed.
        if "locked" not in str(exc):
            raise
        session.rollback()
        raise Conflict(_l("Someone else changed this item at the same moment; reload it."))
    if result.rowcount != 1:
        raise Conflict(_l("Someone else changed this item at the same moment; reload it."))
    session.expire(item, ["state", "version"])
    comment = fields.get("comment")
    details = {k: v for k, v in fields.items() if k != "comment" and v not in (None, "")
               and isinstance(v, (str, int, float, bool))}
    history.record(session, actor, item.HISTORY_ENTITY, item.id, transition.name, from_state=source,
                   to_state=transition.target, comment=comment.strip() if isinstance(comment, str) else None,
                   changes=details)
    hook = EFFECTS.get((workflow.name, transition.name))
    if hook is not None:
        hook(session, item, actor, fields)
    return item


def state_label(workflow: Workflow, state: str) -> str:
    """A state's name in the current language."""
    spec = workflow.states[state]
    return spec.label_en if current_language() == "en" else spec.label


def transition_label(transition: Transition) -> str:
    """A transition's name in the current language."""
    return transition.label_en if current_language() == "en" else transition.label
