"""Key risk indicators: thresholds, monthly values, breaches that warn the linked risk."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import editing, history, values
from ..auth import policy
from ..db import valid_id
from ..errors import Conflict, FieldErrors
from ..validation import one_of
from . import warnings
from .assessments import check_period
from .labels import DIRECTION_LABELS
from .models import DIRECTIONS, Indicator, IndicatorValue, Risk

EDITABLE = ("code", "name", "direction", "threshold", "risk_id", "active")

# An indicator moved from one unit's risk to another's: the entry naming the first is not for the second.
history.register_entity("indicator", lambda session, id_: session.get(Indicator, id_),
                        lambda session, entry: history.units_named(session, entry, Risk, risks=("risk",)))


def _number(value, field: str, errors: FieldErrors) -> Decimal | None:
    try:
        number = values.decimal(value)
    except ValueError:
        errors.add(field, values.NUMBER_MESSAGE)
        return None
    if abs(number) >= Decimal(10) ** 16:
        errors.add(field, values.NUMBER_MESSAGE)
        return None
    return number


def is_breached(direction: str, threshold: Decimal, value: Decimal) -> bool:
    """Above-target indicators breach when the value exceeds the threshold; below-target ones when it falls short."""
    return value > threshold if direction == "above" else value < threshold


def indicator_values(session: Session, actor, data: dict, errors: FieldErrors,
                     current: Indicator | None = None) -> dict:
    """The checked column values of the indicator fields in DATA: every field when defining one (CURRENT
    None), only those sent when editing CURRENT (`active` too, which a new indicator does not take)."""
    sent = (lambda name: True) if current is None else (lambda name: name in data)
    checked = {}
    if sent("code"):
        if not values.is_indicator_code(data.get("code")):
            errors.add("code", values.CODE_MESSAGE)
        checked["code"] = data.get("code")
    if sent("name"):
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            errors.add("name", _l("A name is required."))
        elif len(name) > 200:
            errors.add("name", _l("At most %(n)d characters.", n=200))
        else:
            checked["name"] = name.strip()
    if sent("direction"):
        if data.get("direction") not in DIRECTIONS:
            errors.add("direction", one_of(DIRECTION_LABELS))
        checked["direction"] = data.get("direction")
    if sent("threshold"):
        checked["threshold"] = _number(data.get("threshold"), "threshold", errors)
    if sent("risk_id"):
        risk_id = data.get("risk_id")
        risk = None
        if risk_id is not None:
            risk = session.get(Risk, risk_id) if valid_id(risk_id) else None
            if risk is None or not policy.in_scope(actor, risk):
                errors.add("risk_id", _l("Unknown risk."))
        checked["risk"] = risk
    if current is not None and "active" in data:
        if not isinstance(data["active"], bool):
            errors.add("active", _l("Must be true or false."))
        checked["active"] = data["active"]
    return checked


def _code_taken(session: Session, code: str, indicator_id: int | None = None) -> None:
    """Refuse CODE when another indicator has it."""
    taken = session.scalar(select(Indicator.id).where(Indicator.code == code))
    if taken is not None and taken != indicator_id:
        raise Conflict(_l("Indicator %(code)s already exists.", code=code), {"code": [_l("Already taken.")]})


def create(session: Session, actor, data: dict) -> Indicator:
    """Define an indicator, optionally linked to a risk."""
    policy.require(actor, "indicator.manage")
    errors = FieldErrors()
    values = indicator_values(session, actor, data, errors)
    errors.raise_if_any(_l("The indicator was not saved."))
    _code_taken(session, values["code"])
    indicator = Indicator(**values)
    session.add(indicator)
    session.flush()
    history.record(session, actor, "indicator", indicator.id, "create",
                   changes={"code": [None, indicator.code], "threshold": [None, str(indicator.threshold)]})
    return indicator


def get(session: Session, actor, indicator_id: int, action: str = "indicator.read") -> Indicator:
    """The indicator with INDICATOR_ID if ACTOR may take ACTION on it; another unit's is NotFound."""
    return policy.require_found(actor, action, session.get(Indicator, indicator_id))


def _fields(indicator: Indicator) -> dict:
    """The indicator as the history shows it: the linked risk by code, the threshold as text."""
    return {**history.snapshot(indicator, ("code", "name", "direction", "active")),
            "threshold": format(indicator.threshold.normalize(), "f"),
            "risk": indicator.risk.code if indicator.risk else None}


def update(session: Session, actor, indicator_id: int, data: dict) -> Indicator:
    """Edit an indicator's definition; a `version` older than the indicator's is refused (409). Values
    recorded earlier keep the breach they were judged by, as a past grade keeps its standard."""
    indicator = get(session, actor, indicator_id, "indicator.manage")
    values = editing.checked(
        indicator, data, EDITABLE, lambda errors: indicator_values(session, actor, data, errors, current=indicator),
        label=indicator.code, refused=None, not_saved=_l("The indicator was not saved."))
    if "code" in values:
        _code_taken(session, values["code"], indicator.id)
    before = _fields(indicator)
    editing.apply(indicator, values)
    editing.record(session, actor, indicator, before, _fields(indicator))
    return indicator


def record_value(session: Session, actor, indicator_id: int, data: dict) -> tuple[IndicatorValue, bool]:
    """Record (or correct) a period's value; returns (value, created). A breach warns the linked risk."""
    indicator = policy.require_found(actor, "indicator.record", session.get(Indicator, indicator_id))
    errors = FieldErrors()
    period = check_period(data.get("period"), errors)
    value = _number(data.get("value"), "value", errors)
    errors.raise_if_any(_l("The value was not saved."))
    breached = is_breached(indicator.direction, indicator.threshold, value)
    row = session.scalar(select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id,
                                                      IndicatorValue.period == period))
    created = row is None
    if created:
        row = IndicatorValue(indicator_id=indicator.id, period=period, value=value, breached=breached,
                             recorded_by_id=actor.id)
        session.add(row)
        changes = {"period": [None, period], "value": [None, str(value)], "breached": [None, breached]}
    else:
        changes = history.diff({"value": str(row.value), "breached": row.breached},
                               {"value": str(value), "breached": breached})
        row.value, row.breached, row.recorded_by_id = value, breached, actor.id
    session.flush()
    if changes:
        history.record(session, actor, "indicator", indicator.id, "value", changes=changes)
    if indicator.risk is not None:
        warnings.refresh(session, indicator.risk, period)
    return row, created


def query(actor):
    """The indicators ACTOR may see: the company's, and those linked to risks of the actor's unit."""
    policy.require(actor, "risk.read")
    stmt = select(Indicator).outerjoin(Risk, Risk.id == Indicator.risk_id).order_by(Indicator.code)
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where((Indicator.risk_id.is_(None)) | (Risk.unit_id == scope))
    return stmt


def latest_values(session: Session, indicator_ids) -> dict[int, IndicatorValue]:
    """The newest value of each indicator."""
    ids = list(indicator_ids)
    result = {}
    if ids:
        stmt = select(IndicatorValue).where(IndicatorValue.indicator_id.in_(ids)).order_by(IndicatorValue.period)
        for row in session.scalars(stmt):
            result[row.indicator_id] = row
    return result


def breaches(session: Session, actor, period: str) -> list[tuple[Indicator, IndicatorValue]]:
    """PERIOD's breached indicators ACTOR may see."""
    stmt = query(actor).add_columns(IndicatorValue).join(
        IndicatorValue, IndicatorValue.indicator_id == Indicator.id).where(
        IndicatorValue.period == period, IndicatorValue.breached.is_(True))
    return [(ind, val) for ind, val in session.execute(stmt)]


editing.register(Indicator, "indicator.manage", lambda indicator: True)
