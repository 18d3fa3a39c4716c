"""The figures behind an indicator's warning (the month's value, what the rule compared it with, the
variance, the measure), looked up together for every warning a page shows."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..register.warnings import answers_indicator
from . import service
from .models import Indicator, IndicatorValue


@dataclass
class Figure:
    """An indicator's month as its warning shows it; VALUE is None when no value is on file (any more)."""

    indicator: Indicator
    value: IndicatorValue | None


def for_warnings(session: Session, warnings) -> dict[int, list[Figure]]:
    """For each indicator's warning among WARNINGS (by id): the figures of the indicator it warns, or of the
    indicators linked to its risk that were breached that month. One query for the linked indicators, one for
    the values of each month shown."""
    wanted = [w for w in warnings if answers_indicator(w)]
    risk_ids = {w.risk_id for w in wanted if w.indicator_id is None and w.risk_id is not None}
    linked: dict[int, list[Indicator]] = {}
    if risk_ids:
        stmt = select(Indicator).where(Indicator.risk_id.in_(risk_ids)).order_by(Indicator.code)
        for indicator in session.scalars(stmt).unique():
            linked.setdefault(indicator.risk_id, []).append(indicator)
    subjects = {w.id: [w.indicator] if w.indicator_id is not None else linked.get(w.risk_id, []) for w in wanted}
    values: dict[str, dict[int, IndicatorValue]] = {}
    for period in sorted({w.period for w in wanted}):
        ids = {i.id for w in wanted if w.period == period for i in subjects[w.id]}
        values[period] = service.values_of(session, ids, period)
    result = {}
    for w in wanted:
        figures = [Figure(i, values[w.period].get(i.id)) for i in subjects[w.id]]
        if w.indicator_id is None:  # of a risk's indicators, those that warned; all of them when none does now
            figures = [f for f in figures if f.value is not None and f.value.breached] or \
                [f for f in figures if f.value is not None]
        result[w.id] = figures
    return result


def number(value: Decimal | None, signed: bool = False) -> str:
    """A stored decimal as people read it and as a box takes it back: no exponent, no trailing zeros, "—" for
    none; SIGNED puts + before a positive one (a variance)."""
    if value is None:
        return "—"
    text = format(Decimal(value).normalize(), "f")
    if text == "-0":
        text = "0"
    return ("+" + text) if signed and value > 0 else text