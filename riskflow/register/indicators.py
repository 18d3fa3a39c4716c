"""Key risk indicators: thresholds, monthly values, breaches that warn the linked risk."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import history, values
from ..auth import policy
from ..db import valid_id
from ..errors import Conflict, FieldErrors
from ..validation import one_of
from . import warnings
from .assessments import check_period
from .labels import DIRECTION_LABELS
from .models import DIRECTIONS, Indicator, IndicatorValue, Risk

history.register_entity("indicator", lambda session, id_: session.get(Indicator, id_))


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


def create(session: Session, actor, data: dict) -> Indicator:
    """Define an indicator, optionally linked to a risk."""
    policy.require(actor, "indicator.manage")
    errors = FieldErrors()
    code = data.get("code")
    if not values.is_indicator_code(code):
        errors.add("code", values.CODE_MESSAGE)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.add("name", _l("A name is required."))
    elif len(name) > 200:
        errors.add("name", _l("At most %(n)d characters.", n=200))
    if data.get("direction") not in DIRECTIONS:
        errors.add("direction", one_of(DIRECTION_LABELS))
    threshold = _number(data.get("threshold"), "threshold", errors)
    risk_id = data.get("risk_id")
    risk = None
    if risk_id is not None:
        risk = session.get(Risk, risk_id) if valid_id(risk_id) else None
        if risk is None or not policy.in_scope(actor, risk):
            errors.add("risk_id", _l("Unknown risk."))
    errors.raise_if_any(_l("The indicator was not saved."))
    if session.scalar(select(Indicator.id).where(Indicator.code == code)) is not None:
        raise Conflict(_l("Indicator %(code)s already exists.", code=code), {"code": [_l("Already taken.")]})
    indicator = Indicator(code=code, name=name.strip(), direction=data["direction"], threshold=threshold,
                          risk_id=risk.id if risk else None)
    session.add(indicator)
    session.flush()
    history.record(session, actor, "indicator", indicator.id, "create",
                   changes={"code": [None, code], "threshold": [None, str(threshold)]})
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
