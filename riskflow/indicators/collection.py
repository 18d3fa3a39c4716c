"""Collecting the monthly values: which are due, which are missing and since when, and who reports them.

Last month's values are due by the report day (RISKFLOW_INDICATOR_DAY) of this month; from the next day an
active indicator without a value for last month is missing. The to-do list and the risk manager's page both
ask here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import periods
from ..auth.models import Unit
from . import service
from .models import Indicator, IndicatorValue

DEFAULT_DAY = 5
LOOK_BACK = 12  # months a run of missing values is followed back to tell since when


def report_day() -> int:
    """The day of the month by which last month's values are due."""
    return int(current_app.config.get("INDICATOR_DAY", DEFAULT_DAY))


def due_period(today: date | None = None) -> str | None:
    """The month whose values are overdue on TODAY (last month, once the report day has passed), or None
    before the report day: nothing is listed then."""
    today = today or periods.today()
    if today.day <= report_day():
        return None
    return periods.previous(periods.of(today))


def overdue_since(period: str) -> date:
    """The first day PERIOD's values count as missing: the day after the next month's report day."""
    year, month = periods.parse(periods.shift(period, 1))
    return date(year, month, report_day() + 1)


def reports(user, indicator: Indicator) -> bool:
    """True when USER is who reports INDICATOR's values: its owner when it has one, else its unit's risk
    officers, and for a company-wide one the risk manager."""
    if indicator.owner_id is not None:
        return indicator.owner_id == getattr(user, "id", None)
    if indicator.unit_id is not None:
        return user.role == "risk_officer" and user.unit_id == indicator.unit_id
    return user.role == "risk_manager"


def missing_for(session: Session, user, today: date | None = None) -> tuple[str | None, list[Indicator]]:
    """(the overdue month, the active indicators USER reports that have no value for it); nothing before the
    report day."""
    period = due_period(today)
    if period is None:
        return None, []
    return period, [i for i in service.missing(session, user, period) if reports(user, i)]


@dataclass
class Missing:
    """An indicator's missing value: the overdue month, the first month of the run of missing months ending
    there, and the day it has been overdue since."""

    indicator: Indicator
    period: str
    first: str
    since: date

    @property
    def months(self) -> int:
        """How many months in a row are missing, up to the overdue one."""
        return len(periods.span(self.first, self.period))


@dataclass
class UnitMissing:
    """One unit's missing values (UNIT None: the company-wide indicators)."""

    unit: Unit | None
    items: list[Missing]


def missing_by_unit(session: Session, actor, today: date | None = None) -> tuple[str | None, list[UnitMissing]]:
    """(the overdue month, every unit's missing values ACTOR may see, units by code, company-wide last);
    each value says since when it is missing."""
    period = due_period(today)
    if period is None:
        return None, []
    found = service.missing(session, actor, period)
    first = _first_missing(session, found, period)
    groups: dict[int | None, UnitMissing] = {}
    for indicator in found:
        start = first[indicator.id]
        group = groups.setdefault(indicator.unit_id, UnitMissing(indicator.unit, []))
        group.items.append(Missing(indicator, period, start, overdue_since(start)))
    return period, sorted(groups.values(), key=lambda g: (g.unit is None, g.unit.code if g.unit else ""))


def _first_missing(session: Session, indicators: list[Indicator], period: str) -> dict[int, str]:
    """For each indicator (missing PERIOD), the first month of its run of missing months ending at PERIOD,
    followed back at most LOOK_BACK months and not before the month it was defined in."""
    earliest = periods.shift(period, -(LOOK_BACK - 1))
    ids = [i.id for i in indicators]
    recorded: dict[int, set[str]] = {i: set() for i in ids}
    if ids:
        stmt = select(IndicatorValue.indicator_id, IndicatorValue.period).where(
            IndicatorValue.indicator_id.in_(ids), IndicatorValue.period >= earliest, IndicatorValue.period <= period)
        for indicator_id, month in session.execute(stmt):
            recorded[indicator_id].add(month)
    result = {}
    for indicator in indicators:
        defined = periods.of(periods.local_date(indicator.created_at)) if indicator.created_at else earliest
        first = period
        while first > earliest and first > defined and periods.previous(first) not in recorded[indicator.id]:
            first = periods.previous(first)
        result[indicator.id] = first
    return result
