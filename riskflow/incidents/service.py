"""Recording incidents and near misses, and finding them in the library."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import attachments, history, numbering, periods, values
from ..actions import service as actions
from ..auth import policy
from ..auth.service import unit_by_code, user_by_name
from ..auth.models import Unit
from ..db import utcnow, valid_id
from ..errors import FieldErrors, Forbidden, Invalid, RiskflowError
from ..validation import a_date, one_of, texts, yuan
from ..register.models import Risk
from ..workflow import engine
from ..workflow.store import current_version
from .labels import KIND_LABELS, LOSS_TYPE_LABELS
from .models import KINDS, LOSS_TYPES, SEVERITY_DIMENSIONS, Incident, incident_risks

TEXTS = {"title": 200, "description": 8000, "cause": 8000, "handling": 8000, "lessons": 8000,
         "corrective_action": 8000, "action_owner": 100}

# Generated incident codes: the year of occurrence and a number, `SJ-2026-0001`.
CODES = numbering.Series("incident", "SJ-{scope}-{n:04d}", Incident.code)

# A risk manager may link a unit's incident to another unit's risk: an entry naming it is not for the unit.
history.register_entity("incident", lambda s, id_: s.get(Incident, id_),
                        lambda s, entry: history.units_named(s, entry, Risk, risks=("risks",), units=("unit",)))
attachments.OWNERS["incident"] = lambda s, id_: s.get(Incident, id_)


def _severity(value, field: str, errors: FieldErrors) -> int:
    if value in (None, ""):
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 5:
        errors.add(field, _l("A whole number from 0 to 5."))
        return 0
    return value


def incident_values(session: Session, actor, data: dict, errors: FieldErrors, current: Incident | None = None) -> dict:
    """The checked column values of the incident fields in DATA: every field when recording one (CURRENT None),
    only those sent when editing CURRENT, whose other values still count for the checks across fields (dates,
    recoveries against the loss). `unit` is the Unit and `risks` the list of linked risks, when sent."""
    sent = (lambda name: True) if current is None else (lambda name: name in data)
    values = texts(data, {name: limit for name, limit in TEXTS.items() if sent(name)}, errors)
    if sent("title") and not values.get("title"):
        errors.add("title", _l("A title is required."))
    if sent("kind"):
        if data.get("kind") not in KINDS:
            errors.add("kind", one_of(KIND_LABELS))
        values["kind"] = data.get("kind")
    if sent("loss_type"):
        loss_type = data.get("loss_type") or None
        if loss_type is not None and loss_type not in LOSS_TYPES:
            errors.add("loss_type", one_of(LOSS_TYPE_LABELS))
        values["loss_type"] = loss_type
    if sent("unit"):
        unit = unit_by_code(session, str(data.get("unit") or ""))
        if unit is None:
            errors.add("unit", _l("Unknown unit %(code)s.", code=data.get("unit")))
        values["unit"] = unit
    today = periods.today()
    for name in ("occurred_on", "discovered_on"):
        if sent(name):
            values[name] = a_date(data.get(name), name, errors, required=True)
            if values[name] and values[name] > today:
                errors.add(name, _l("The date is in the future."))
    occurred = values["occurred_on"] if "occurred_on" in values else current.occurred_on
    discovered = values["discovered_on"] if "discovered_on" in values else current.discovered_on
    if occurred and discovered and discovered < occurred and ("occurred_on" in values or "discovered_on" in values):
        errors.add("discovered_on", _l("An incident cannot be discovered before it occurred."))
    if occurred and "occurred_on" in values:
        values["quarter"] = periods.quarter_of(occurred)
    losses = (data.get("losses") or {}) if sent("losses") else {}
    if not isinstance(losses, dict):
        errors.add("losses", _l("An object of dimension: amount or severity."))
        losses = {}
    for name in losses:
        if name not in ("financial",) + SEVERITY_DIMENSIONS:
            errors.add("losses", _l("Unknown dimension %(name)s; one of: %(names)s.", name=name,
                                    names=", ".join(("financial",) + SEVERITY_DIMENSIONS)))
    if current is None or "financial" in losses:
        values["gross_loss"] = yuan(losses.get("financial"), "losses.financial", errors)
    if sent("recoveries"):
        values["recoveries"] = yuan(data.get("recoveries"), "recoveries", errors)
    gross = values["gross_loss"] if "gross_loss" in values else current.gross_loss
    recoveries = values["recoveries"] if "recoveries" in values else current.recoveries
    if recoveries > gross and ("gross_loss" in values or "recoveries" in values):
        errors.add("recoveries", _l("Recoveries cannot exceed the loss."))
    for dimension in SEVERITY_DIMENSIONS:
        if current is None or dimension in losses:
            values[dimension] = _severity(losses.get(dimension), f"losses.{dimension}", errors)
    if sent("action_due"):
        values["action_due"] = a_date(data.get("action_due"), "action_due", errors)
    if sent("risk_ids"):
        values["risks"] = _linked(session, actor, data.get("risk_ids"), errors)
    return values


def _linked(session: Session, actor, risk_ids, errors: FieldErrors) -> list[Risk]:
    """The risks named by RISK_IDS, each one ACTOR may see."""
    risks = []
    if risk_ids is None:
        risk_ids = []
    if not isinstance(risk_ids, list):
        errors.add("risk_ids", _l("A list of risk ids."))
        risk_ids = []
    for risk_id in risk_ids:
        risk = session.get(Risk, risk_id) if valid_id(risk_id) else None
        if risk is None or not policy.in_scope(actor, risk):
            errors.add("risk_ids", _l("Unknown risk %(id)s.", id=risk_id))
        elif risk not in risks:
            risks.append(risk)
    return risks


def require_own_unit(actor, unit: Unit) -> None:
    """A unit's roles record and move incidents of their own unit only."""
    if policy.is_unit_scoped(actor) and unit.id != actor.unit_id:
        raise Forbidden(_l("You may only record incidents of your own unit."), {"unit": [_l("Not your unit.")]})


# The fields of an incident's corrective action (措施) as the record form names them.
ACTION_FIELDS = {"title": "action_title", "owner": "action_owner", "due_date": "action_due"}
# A corrective action typed without a due date (the API's free text) is due this long after the incident was
# recorded; migration 0015 used the same for the texts recorded before actions existed.
ACTION_DUE_AFTER = timedelta(days=30)


def _corrective_action(session: Session, data: dict) -> dict | None:
    """The action an incident is recorded with: DATA's `action` {title, owner, due_date} (the record page), or
    for the API's older fields, the corrective action text when `action_owner` is a user's name (the text's
    first line as the title, the whole text as the description; due on `action_due`, else 30 days on). None
    when there is no action to make: the text alone is kept as it was."""
    if isinstance(data.get("action"), dict):
        typed = data["action"]
        return typed if any(v not in (None, "") for v in typed.values()) else None
    text = data.get("corrective_action")
    owner = data.get("action_owner")
    if not isinstance(text, str) or not text.strip() or not isinstance(owner, str) or not owner.strip():
        return None
    if user_by_name(session, owner.strip()) is None:
        return None
    first = next(line.strip() for line in text.splitlines() if line.strip())
    return {"title": first[:200], "description": text.strip(), "owner": owner.strip(),
            "due_date": data.get("action_due") or (periods.today() + ACTION_DUE_AFTER).isoformat()}


def _action_errors(exc: RiskflowError) -> RiskflowError:
    """An action's refusal named at the incident form's action fields."""
    if isinstance(exc, Invalid):
        return Invalid(_l("The incident was not recorded."),
                       {ACTION_FIELDS.get(name, name): messages for name, messages in exc.errors.items()})
    return exc


def create(session: Session, actor, data: dict) -> Incident:
    """Record an incident or near miss; its quarter comes from the date it occurred. With a corrective action
    (措施: title, owner, due date), the incident is recorded with that action, both or neither."""
    policy.require(actor, "incident.write")
    errors = FieldErrors()
    values = incident_values(session, actor, data, errors)
    values.pop("action", None)
    corrective = _corrective_action(session, data)
    if corrective is not None:
        # The action's own checks, before the incident exists, so that one refusal names every field; the
        # owner's unit is checked against the incident's when the action is made.
        found = FieldErrors()
        actions.values_of(session, actor, {k: corrective.get(k) for k in ("title", "owner", "due_date")}, found)
        for name, messages in found.errors.items():
            for message in messages:
                errors.add(ACTION_FIELDS.get(name, name), message)
    errors.raise_if_any(_l("The incident was not recorded."))
    unit, risks = values.pop("unit"), values.pop("risks")
    require_own_unit(actor, unit)
    incident = Incident(
        code=numbering.next_code(session, CODES, str(values["occurred_on"].year)), unit_id=unit.id,
        recorded_on=periods.today(), state=engine.workflows()["incident"].initial,
        workflow_version=current_version(session, "incident"), reported_by_id=actor.id, **values)
    incident.risks = risks
    session.add(incident)
    session.flush()
    history.record(session, actor, "incident", incident.id, "create", to_state=incident.state,
                   changes={"code": [None, incident.code], "kind": [None, incident.kind],
                            "net_loss": [None, str(incident.net_loss)]})
    if corrective is not None:
        try:
            actions.create(session, actor, {**corrective, "incident_id": incident.id})
        except RiskflowError as exc:
            raise _action_errors(exc) from exc
    return incident


def get(session: Session, actor, incident_id: int) -> Incident:
    """An incident ACTOR may see; another unit's is NotFound."""
    return policy.require_found(actor, "incident.read", session.get(Incident, incident_id))


def linked_risks(actor, incident: Incident) -> list[Risk]:
    """The risks linked to INCIDENT that ACTOR may see: the risk manager may have linked other units' risks."""
    return [risk for risk in incident.risks if policy.in_scope(actor, risk)]


def check_filters(args) -> dict:
    """Library filters from a query string, checked."""
    errors = FieldErrors()
    filters = {}
    quarter = args.get("quarter")
    if quarter:
        if not periods.is_quarter(quarter):
            errors.add("quarter", periods.QUARTER_MESSAGE)
        filters["quarter"] = quarter
    kind = args.get("kind")
    if kind:
        if kind not in KINDS:
            errors.add("kind", one_of(KIND_LABELS))
        filters["kind"] = kind
    loss_type = args.get("loss_type")
    if loss_type:
        if loss_type not in LOSS_TYPES:
            errors.add("loss_type", one_of(LOSS_TYPE_LABELS))
        filters["loss_type"] = loss_type
    for name in ("risk_id",):
        raw = args.get(name)
        if raw:
            try:
                filters[name] = values.whole(raw)
            except ValueError:
                filters[name] = None
            if not valid_id(filters[name]):
                errors.add(name, values.WHOLE_MESSAGE)
    for name in ("min_loss", "max_loss"):
        raw = args.get(name)
        if raw:
            try:
                filters[name] = values.decimal(raw)
            except ValueError:
                errors.add(name, values.NUMBER_MESSAGE)
    for name in ("unit", "q", "state"):
        if args.get(name):
            filters[name] = args.get(name)
    errors.raise_if_any(_l("Invalid filter."))
    return filters


def query(actor, *, quarter=None, unit=None, kind=None, risk_id=None, loss_type=None, min_loss=None,
          max_loss=None, q=None, state=None):
    """The incidents ACTOR may see, newest first, filtered."""
    policy.require(actor, "incident.read")
    stmt = select(Incident).order_by(Incident.occurred_on.desc(), Incident.id.desc())
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where(Incident.unit_id == scope)
    if quarter:
        stmt = stmt.where(Incident.quarter == quarter)
    if unit:
        stmt = stmt.join(Unit, Unit.id == Incident.unit_id).where(Unit.code == unit)
    if kind:
        stmt = stmt.where(Incident.kind == kind)
    if loss_type:
        stmt = stmt.where(Incident.loss_type == loss_type)
    if state:
        stmt = stmt.where(Incident.state == state)
    if risk_id:
        linked = select(incident_risks.c.incident_id).where(incident_risks.c.risk_id == risk_id)
        stmt = stmt.where(Incident.id.in_(linked))
    net = Incident.gross_loss - Incident.recoveries
    if min_loss is not None:
        stmt = stmt.where(net >= min_loss)
    if max_loss is not None:
        stmt = stmt.where(net <= max_loss)
    if q:
        pattern = f"%{q.strip()}%"
        stmt = stmt.where(Incident.title.ilike(pattern) | Incident.code.ilike(pattern))
    return stmt


def for_risk(session: Session, actor, risk_id: int) -> list[Incident]:
    """The incidents linked to a risk, newest first."""
    return list(session.scalars(query(actor, risk_id=risk_id)))


def mark_action_done(session: Session, actor, incident_id: int) -> Incident:
    """Record that an incident's corrective action is done."""
    incident = policy.require_found(actor, "incident.write", session.get(Incident, incident_id))
    if not incident.action_done:
        incident.action_done = True
        history.record(session, actor, "incident", incident.id, "action_done",
                       changes={"action_done": [False, True], "at": [None, utcnow().isoformat()]})
    return incident
