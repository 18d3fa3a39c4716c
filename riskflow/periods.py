"""Months (`2026-07`) and quarters (`2026-Q3`) in the company's time zone."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def today() -> date:
    """Today's date in RISKFLOW_TIMEZONE."""
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()


def local_date(moment: datetime) -> date:
    """The date an aware moment falls on in RISKFLOW_TIMEZONE."""
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def parse(period: str) -> tuple[int, int]:
    """(year, month) of a `YYYY-MM` period; ValueError when malformed."""
    match = PERIOD.match(period or "")
    if not match:
        raise ValueError(f"not a YYYY-MM period: {period!r}")
    return int(match.group(1)), int(match.group(2))


def of(day: date) -> str:
    """The period a date falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def current() -> str:
    """This month, in the configured zone."""
    return of(today())


def shift(period: str, months: int) -> str:
    """The period MONTHS after (or before, when negative) PERIOD."""
    year, month = parse(period)
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous(period: str) -> str:
    """The month before PERIOD."""
    return shift(period, -1)


def is_future(period: str) -> bool:
    """True when PERIOD is after the current month."""
    return period > current()


def quarter_of(day: date) -> str:
    """The quarter a date falls in: `2026-Q3`."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def label(period: str, language: str) -> str:
    """A period as people write it: 2026年7月, or July 2026."""
    year, month = parse(period)
    if language == "zh_CN":
        return f"{year}年{month}月"
    return date(year, month, 1).strftime("%B %Y")
