"""Months (`2026-07`), quarters (`2026-Q3`) and years (`2026`) in the company's time zone.

One full-match parser for each: ASCII digits only, nothing before or after (Python's `$` would let a
trailing newline through, and `\\d` any script's digits). The same pattern text is published in the
OpenAPI document, so every door refuses the same strings."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

# Years 1000-9999: year 0 has no calendar date, and a fifth digit no place in a period column.
YEAR_PATTERN = "[1-9][0-9]{3}"
PERIOD_PATTERN = "[1-9][0-9]{3}-(0[1-9]|1[0-2])"
QUARTER_PATTERN = "[1-9][0-9]{3}-Q[1-4]"
ANY_PERIOD_PATTERN = "[1-9][0-9]{3}(-(0[1-9]|1[0-2]|Q[1-4]))?"  # a report's: a month, a quarter or a year
PERIOD_MESSAGE = _l("Use YYYY-MM, for example 2026-07.")
QUARTER_MESSAGE = _l("Use YYYY-Qn, for example 2026-Q3.")
YEAR_MESSAGE = _l("A year such as 2026.")
ANY_PERIOD_MESSAGE = _l("A month, quarter or year such as 2026-07, 2026-Q3 or 2026.")


def _full(pattern: str, text) -> re.Match | None:
    return re.fullmatch(pattern, text, re.ASCII) if isinstance(text, str) else None


def is_period(text) -> bool:
    """True for a well-formed `YYYY-MM` string."""
    return _full(PERIOD_PATTERN, text) is not None


def is_quarter(text) -> bool:
    """True for a well-formed `YYYY-Qn` string."""
    return _full(QUARTER_PATTERN, text) is not None


def is_year(text) -> bool:
    """True for a well-formed `YYYY` string."""
    return _full(YEAR_PATTERN, text) is not None


def today() -> date:
    """Today's date in RISKFLOW_TIMEZONE."""
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()


def local_date(moment: datetime) -> date:
    """The date an aware moment falls on in RISKFLOW_TIMEZONE."""
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def parse(period) -> tuple[int, int]:
    """(year, month) of a `YYYY-MM` period; ValueError when malformed."""
    if not is_period(period):
        raise ValueError(f"not a YYYY-MM period: {period!r}")
    return int(period[:4]), int(period[5:])


def parse_quarter(quarter) -> tuple[int, int]:
    """(year, quarter number) of a `YYYY-Qn` quarter; ValueError when malformed."""
    if not is_quarter(quarter):
        raise ValueError(f"not a YYYY-Qn quarter: {quarter!r}")
    return int(quarter[:4]), int(quarter[-1])


def parse_year(year) -> int:
    """The year of a `YYYY` string; ValueError when malformed."""
    if not is_year(year):
        raise ValueError(f"not a YYYY year: {year!r}")
    return int(year)


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


def span(first: str, last: str) -> list[str]:
    """The periods from FIRST to LAST, both included, oldest first."""
    result, period = [], first
    while period <= last:
        result.append(period)
        period = shift(period, 1)
    return result


def current_year() -> int:
    """This year, in the configured zone."""
    return today().year


def previous(period: str) -> str:
    """The month before PERIOD."""
    return shift(period, -1)


def start_utc(period: str) -> datetime:
    """The first moment of PERIOD in RISKFLOW_TIMEZONE, as an aware UTC time (stored times compare with it)."""
    year, month = parse(period)
    return datetime(year, month, 1, tzinfo=ZoneInfo(current_app.config["TIMEZONE"])).astimezone(timezone.utc)


def is_future(period: str) -> bool:
    """True when PERIOD is after the current month."""
    return period > current()


def quarter_of(day: date) -> str:
    """The quarter a date falls in: `2026-Q3`."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def quarter_start(quarter: str) -> date:
    """The first day of a `YYYY-Qn` quarter."""
    year, number = parse_quarter(quarter)
    return date(year, 3 * (number - 1) + 1, 1)


def quarter_end(quarter: str) -> date:
    """The last day of a `YYYY-Qn` quarter."""
    year, number = parse_quarter(quarter)
    following = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return following - timedelta(days=1)


def label(period: str, language: str) -> str:
    """A period as people write it: 2026年7月, or July 2026."""
    year, month = parse(period)
    if language == "zh_CN":
        return f"{year}年{month}月"
    return date(year, month, 1).strftime("%B %Y")
