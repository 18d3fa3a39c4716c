"""Actions: who assigns what to whom, what an action answers, its workflow's guards and effects, and the
warning whose progress its actions make.

The rules, each in one place:
- an action belongs to its owner's unit: a unit's officer or head, or the risk department (no unit);
- the items it answers (a risk, a warning, an incident, a review meeting) belong to one unit at most, and the
  owner must be able to act for that unit: one of its officers or heads (for a company-wide item, any unit's
  officer or head, or a risk manager);
- the risk manager assigns any action; a unit's officer or head only their own unit's, to their own people;
- the due date is not in the past when set;
- a warning with actions takes its progress from them, and is confirmed done only when none is open.
"""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import attachments, editing, escalation, history, numbering, periods, values
from ..auth import policy
from ..auth.models import UNIT_ROLES, Unit, User
from ..auth.service import user_by_name
from ..db import utcnow
from ..errors import Conflict, FieldErrors, Forbidden, NotFound
from ..incidents.models import Incident, ReviewMeeting
from ..register import warnings
from ..register.models import Risk, RiskWarning
from ..validation import a_date, texts
from ..workflow import engine
from ..workflow.store import current_version
from ..notifications import events
from . import counting
from .models import LINKS, OPEN_STATES, Action

# 措施 CS-2026-0001: numbered by the year the action is assigned.
CODES = numbering.Series("action", "CS-{scope}-{n:04d}", Action.code)
TEXT_LIMITS = {"title": 200, "description": 8000}
FIELDS = ("title", "description", "owner", "due_date") + LINKS
# Who owns an action for the company as a whole (no unit).
COMPANY_OWNERS = ("risk_manager",)
# The row each link column points at.
LINKED = {"risk_id": Risk, "warning_id": RiskWarning, "incident_id": Incident, "meeting_id": ReviewMeeting}
UNKNOWN = {
    "risk_id": _l("Unknown risk."), "warning_id": _l("Unknown warning."), "incident_id": _l("Unknown incident."),
    "meeting_id": _l("Unknown review meeting."),
}
TRACKED = ("title", "description", "due_date")
# Sent back by the risk manager and not yet submitted again: only `return` leads from a submission back to work.
RETURNED = (Action.state == "in_progress") & Action.submitted_at.is_not(None)

history.register_entity("action", lambda s, id_: s.get(Action, id_))
attachments.OWNERS["action"] = lambda s, id_: s.get(Action, id_)


def _accepts_evidence(actor, action: Action) -> None:
    """Evidence goes on an action while it is open (every door: the API, the page's upload)."""
    if not action.is_open:
        raise Conflict(_l("Evidence is added while the action is open; %(code)s is %(state)s.", code=action.code,
                          state=editing.state_label(action)), {"file": [_l("Not possible now.")]})


attachments.ACCEPTS["action"] = _accepts_evidence


def editable(action: Action) -> bool:
    """An action's fields change until its owner submits it."""
    return action.state in ("open", "in_progress")


editing.register(Action, "action.update", editable)


def is_overdue(action: Action, today: date) -> bool:
    """Overdue while still open and past its due date."""
    return action.state in OPEN_STATES and today > action.due_date


def colour(action: Action, today: date) -> str | None:
    """The escalation colour on TODAY, by the rectifications' rule."""
    blue, red = escalation.settings()
    return escalation.colour(action.due_date, action.state not in OPEN_STATES, today, blue, red)


def may_own(owner: User, unit_id: int | None) -> bool:
    """True when OWNER can act for UNIT_ID's items (None: a company-wide item)."""
    if owner is None or not owner.active:
        return False
    if owner.role in UNIT_ROLES:
        return unit_id is None or owner.unit_id == unit_id
    return unit_id is None and owner.role in COMPANY_OWNERS


def assigns_to(actor, owner: User) -> bool:
    """True when ACTOR may give an action to OWNER: a unit's roles assign only to their own unit's people."""
    return not policy.is_unit_scoped(actor) or owner.unit_id == actor.unit_id


def owner_choices(session: Session, actor, links: dict) -> list[User]:
    """The people ACTOR may make owner of an action answering LINKS ({column: id}, those ACTOR may see):
    for a unit's item its officers and head, for a company-wide one any unit's officer or head and the risk
    managers; a unit's roles choose among their own unit's. The form offers these, and values_of() accepts
    exactly these."""
    errors = FieldErrors()
    unit_id = _item_unit(_linked_items(session, actor, links, errors, None), errors)
    roles = UNIT_ROLES + COMPANY_OWNERS
    people = session.scalars(select(User).where(User.active.is_(True), User.role.in_(roles))
                             .order_by(User.unit_id.is_(None), User.unit_id, User.role, User.username))
    return [u for u in people if may_own(u, unit_id) and assigns_to(actor, u)]


def links_asked(session: Session, actor, links: dict) -> dict:
    """The items LINKS ({column: id}) name, each one ACTOR may see, as {column: item or None}; an item that
    is not there or not ACTOR's to see is NotFound."""
    errors = FieldErrors()
    items = _linked_items(session, actor, links, errors, None)
    if errors:
        raise NotFound(_l("Not found."))
    return items


def linked(session: Session, actions) -> dict[int, dict]:
    """The items each of ACTIONS answers, {action id: {column: item}}, in one query per kind of item."""
    found = {}
    for name, model in LINKED.items():
        ids = {getattr(a, name) for a in actions} - {None}
        rows = {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}
        found[name] = rows
    return {a.id: {name: found[name].get(getattr(a, name)) for name in LINKED} for a in actions}


def unit_of_owner(owner: User) -> int | None:
    """The unit an action belongs to: its owner's (None for the risk department)."""
    return owner.unit_id if owner.role in UNIT_ROLES else None


def _linked_items(session: Session, actor, data: dict, errors: FieldErrors, current: Action | None) -> dict:
    """The link columns of DATA checked (each item must exist and be readable by ACTOR), merged with CURRENT's
    for those not sent: {column: the item or None}."""
    items = {}
    for name, model in LINKED.items():
        if current is not None and name not in data:
            item_id = getattr(current, name)
            items[name] = session.get(model, item_id) if item_id is not None else None
            continue
        raw = data.get(name)
        if raw is None:
            items[name] = None
            continue
        if not isinstance(raw, int) or isinstance(raw, bool):
            errors.add(name, _l("An id number."))
            items[name] = None
            continue
        item = session.get(model, raw)
        if item is None or not policy.in_scope(actor, item):
            errors.add(name, UNKNOWN[name])
            item = None
        items[name] = item
    warning, risk = items["warning_id"], items["risk_id"]
    if warning is not None and warning.risk_id is not None:
        if risk is None:
            items["risk_id"] = warning.risk
        elif risk.id != warning.risk_id:
            errors.add("risk_id", _l("The warning is about another risk (%(code)s).", code=warning.code))
    return items


def _item_unit(items: dict, errors: FieldErrors) -> int | None:
    """The one unit the linked items belong to (None: company-wide, or nothing linked)."""
    units = {item.unit_id for item in items.values() if item is not None and getattr(item, "unit_id", None)}
    if len(units) > 1:
        errors.add("risk_id", _l("The linked items belong to different units."))
        return None
    return next(iter(units), None)


def values_of(session: Session, actor, data: dict, errors: FieldErrors, current: Action | None = None) -> dict:
    """The checked column values of the action fields in DATA (every field when CURRENT is None, else those
    sent, checked together with CURRENT's others): `owner` is the User, each link its item's id."""
    creating = current is None
    sent = (lambda name: True) if creating else (lambda name: name in data)
    result = texts(data, {k: n for k, n in TEXT_LIMITS.items() if sent(k)}, errors)
    if sent("title") and "title" in result and not result["title"]:
        errors.add("title", _l("A title is required."))
    owner = current.owner if current is not None else None
    if sent("owner"):
        raw = data.get("owner")
        # Only a well-formed username is looked up (PostgreSQL refuses a NUL in a query's text).
        owner = user_by_name(session, raw) if values.is_username(raw) else None
        if not isinstance(raw, str) or not raw.strip():
            errors.add("owner", _l("Name the owner who carries the action out."))
        elif owner is None or not owner.active:
            errors.add("owner", _l("Unknown user %(name)s.", name=raw))
            owner = None
    if sent("due_date"):
        due = a_date(data.get("due_date"), "due_date", errors, required=True)
        if due is not None and (current is None or due != current.due_date) and due < periods.today():
            errors.add("due_date", _l("The due date has already passed."))
        result["due_date"] = due
    items = _linked_items(session, actor, data, errors, current)
    unit_id = _item_unit(items, errors)
    if owner is not None and not may_own(owner, unit_id):
        errors.add("owner", _l("%(name)s cannot act for the unit of the linked items; choose one of its officers or "
                               "its head.", name=owner.label) if unit_id is not None else
                   _l("%(name)s cannot own an action: choose a unit's officer or head, or a risk manager.",
                      name=owner.label))
    if policy.is_unit_scoped(actor):
        if unit_id is not None and unit_id != actor.unit_id:
            errors.add("risk_id", UNKNOWN["risk_id"])
        if owner is not None and not assigns_to(actor, owner):
            errors.add("owner", _l("Choose an officer or the head of your own unit."))
        # A company-wide item (a review meeting, a risk of no unit) takes actions from the risk manager only,
        # also beside one of the unit's own items.
        wide = any(item is not None and getattr(item, "unit_id", None) is None and (creating or name in data)
                   for name, item in items.items())
        if (unit_id is None and any(items.values())) or wide:
            raise Forbidden(_l("Actions on company-wide items are assigned by the risk manager."))
    warning = items["warning_id"]
    if warning is not None and (creating or warning.id != current.warning_id):
        warnings.lock(session, warning)  # its confirmation waits for this action, or this action sees it
    if warning is not None and warning.status == "done" and (creating or warning.id != current.warning_id):
        raise Conflict(_l("The warning on %(code)s is confirmed done; it takes no new actions.", code=warning.code),
                       {"warning_id": [_l("Confirmed done.")]})
    if owner is not None:
        result["owner"] = owner
        result["unit_id"] = unit_of_owner(owner)
    for name, item in items.items():
        result[name] = item.id if item is not None else None
    return result


def create(session: Session, actor, data: dict) -> Action:
    """Assign an action: title, owner and due date required, links optional."""
    policy.require(actor, "action.create")
    errors = FieldErrors()
    found = values_of(session, actor, data, errors)
    errors.raise_if_any(_l("The action was not saved."))
    owner = found.pop("owner")
    action = Action(code=numbering.next_code(session, CODES, str(periods.today().year)), owner_id=owner.id,
                    state=engine.workflows()["action"].initial,
                    workflow_version=current_version(session, "action"), created_by_id=actor.id, **found)
    session.add(action)
    session.flush()
    history.record(session, actor, "action", action.id, "create", to_state=action.state,
                   changes=history.diff({}, _fields(session, action)))
    sync_warning(session, action.warning_id, actor)
    events.action_assigned(session, action)
    return action


def _fields(session: Session, action: Action) -> dict:
    """The action as the history shows it: people by username, linked items by code (read without flushing the
    edit being recorded)."""
    with session.no_autoflush:
        owner = session.get(User, action.owner_id)
        unit = session.get(Unit, action.unit_id) if action.unit_id else None
        risk = session.get(Risk, action.risk_id) if action.risk_id else None
        incident = session.get(Incident, action.incident_id) if action.incident_id else None
    return {**history.snapshot(action, TRACKED), "owner": owner.username, "unit": unit.code if unit else None,
            "risk": risk.code if risk else None, "warning": action.warning_id,
            "incident": incident.code if incident else None, "meeting": action.meeting_id}


def update(session: Session, actor, action_id: int, data: dict) -> Action:
    """Edit an action until it is submitted; with the version read last, a stale edit is refused (409)."""
    action = get(session, actor, action_id)
    policy.require(actor, "action.update", action)
    previous_warning = action.warning_id
    found = editing.checked(
        action, data, FIELDS, lambda errors: values_of(session, actor, data, errors, action),
        label=action.code, refused=_l("An action is edited until it is submitted; this one is %(state)s.",
                                      state=editing.state_label(action)),
        not_saved=_l("The action was not saved."))
    before = _fields(session, action)
    owner = found.pop("owner", None)
    if owner is not None:
        found["owner_id"] = owner.id
    editing.apply(action, found)
    editing.record(session, actor, action, before, _fields(session, action))
    for warning_id in {previous_warning, action.warning_id} - {None}:
        sync_warning(session, warning_id, actor)
    if owner is not None and before["owner"] != owner.username:
        events.action_assigned(session, action)
    return action


def get(session: Session, actor, action_id: int) -> Action:
    """An action ACTOR may see (another unit's is NotFound)."""
    return policy.require_found(actor, "action.read", session.get(Action, action_id))


def query(actor, *, state: str | None = None, overdue: bool | None = None, unit: str | None = None,
          owner: str | None = None, risk_id: int | None = None, warning_id: int | None = None,
          incident_id: int | None = None, meeting_id: int | None = None, colour: str | None = None,
          returned: bool | None = None, due_by: date | None = None, today: date | None = None):
    """The actions ACTOR may list, by due date: a unit's roles list their own unit's. UNIT is a unit code, or
    values.COMPANY_WIDE for the risk department's own; COLOUR keeps one escalation colour today; RETURNED the
    actions sent back (or not); DUE_BY the open ones due by that day, overdue included."""
    policy.require(actor, "action.read")
    stmt = select(Action).order_by(Action.due_date, Action.id)
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where(Action.unit_id == scope)
    if unit == values.COMPANY_WIDE:
        stmt = stmt.where(Action.unit_id.is_(None))
    elif unit:
        stmt = stmt.join(Unit, Unit.id == Action.unit_id).where(Unit.code == unit)
    if owner:
        stmt = stmt.join(User, User.id == Action.owner_id).where(User.username == owner)
    if state:
        stmt = stmt.where(Action.state == state)
    for column, wanted in ((Action.risk_id, risk_id), (Action.warning_id, warning_id),
                           (Action.incident_id, incident_id), (Action.meeting_id, meeting_id)):
        if wanted is not None:
            stmt = stmt.where(column == wanted)
    day = today or periods.today()
    if returned is not None:
        stmt = stmt.where(RETURNED if returned else ~RETURNED)
    if due_by is not None:
        stmt = stmt.where(Action.state.in_(OPEN_STATES), Action.due_date <= due_by)
    if overdue is not None:
        late = Action.state.in_(OPEN_STATES) & (Action.due_date < day)
        stmt = stmt.where(late if overdue else ~late)
    if colour:
        blue, red = escalation.settings()
        stmt = stmt.where(escalation.condition(Action.due_date, Action.state.in_(OPEN_STATES), colour, day, blue,
                                               red))
    return stmt


def sync_warning(session: Session, warning_id: int | None, actor) -> None:
    """Set the progress of WARNING_ID from its actions (the share done of those not cancelled); a warning
    still `open` whose actions have started is `in_progress`. A warning without actions keeps what its
    unit stated."""
    if warning_id is None:
        return
    warning = session.get(RiskWarning, warning_id)
    done, counted, started = counting.tallies(session, [warning_id]).get(warning_id, (0, 0, 0))
    derived = counting.progress(done, counted)
    if derived is None or warning is None:
        return
    before = history.snapshot(warning, ("progress", "status"))
    warning.progress = derived
    if warning.status == "open" and started:
        warning.status = "in_progress"
    changes = history.diff(before, history.snapshot(warning, ("progress", "status")))
    if changes:
        session.flush()
        history.record(session, actor, "warning", warning.id, "actions", changes=changes)


# The workflow: the owner's side starts and submits, the risk manager confirms, returns or cancels.

@engine.guard("acts_for_owner")
def acts_for_owner(session, action, actor, fields):
    """A unit's action is started and reported by its own unit; the risk department does its own."""
    if policy.is_unit_scoped(actor) or action.unit_id is None:
        return None
    return _l("The owner's unit reports on its own action.")


@engine.effect("action", "start")
def _started(session, action, actor, fields):
    sync_warning(session, action.warning_id, actor)


@engine.effect("action", "submit")
def _submitted(session, action, actor, fields):
    action.report = str(fields["report"]).strip()
    action.submitted_at = utcnow()
    sync_warning(session, action.warning_id, actor)


@engine.effect("action", "confirm")
def _confirmed(session, action, actor, fields):
    action.done_at = utcnow()
    action.escalation = None
    sync_warning(session, action.warning_id, actor)


@engine.effect("action", "return")
def _returned(session, action, actor, fields):
    sync_warning(session, action.warning_id, actor)


@engine.effect("action", "cancel")
def _cancelled(session, action, actor, fields):
    action.escalation = None
    sync_warning(session, action.warning_id, actor)


def of_item(session: Session, actor, column: str, item_id: int) -> list[Action]:
    """The actions ACTOR may see that answer one item (COLUMN one of LINKS), by due date."""
    return list(session.scalars(query(actor, **{column: item_id})).unique())


def may_assign_on(actor, item) -> bool:
    """True when ACTOR may assign an action answering ITEM (a risk, a warning…): the risk manager on any, a
    unit's officer or head on their own unit's; none on a warning already confirmed done."""
    if getattr(item, "status", None) == "done" and isinstance(item, RiskWarning):
        return False
    if not policy.can(actor, "action.create"):
        return False
    if policy.is_unit_scoped(actor):
        return getattr(item, "unit_id", None) == actor.unit_id
    return True


def may_attach(actor, action: Action) -> bool:
    """Evidence goes on an action while it is open, from the people who carry it out: the owner's unit (the
    risk department for its own)."""
    return (action.is_open and policy.can(actor, "action.attach", action)
            and (policy.is_unit_scoped(actor) or action.unit_id is None))


def returned(entries, action: Action):
    """The history entry (among ENTRIES, oldest first) of the risk manager sending ACTION back while its owner
    works on it again; None otherwise. Its comment is the reason the owner reads."""
    if action.state != "in_progress":
        return None
    steps = [e for e in entries if e.to_state is not None]
    return steps[-1] if steps and steps[-1].action == "return" else None


def require_action(session: Session, actor, action_id) -> Action:
    """The action of an id sent as text (a page's hidden field), or NotFound."""
    number = values.whole_or(action_id, None)
    if number is None:
        raise NotFound(_l("Not found."))
    return get(session, actor, number)
