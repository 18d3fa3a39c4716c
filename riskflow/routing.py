"""URL converters: months, quarters and ids in a path are matched with the same ASCII patterns as
everywhere else, so `/rounds/2026-13` or `/risks/١` is simply not found."""
from __future__ import annotations

from werkzeug.routing import BaseConverter, IntegerConverter

from . import periods


class AsciiIntegerConverter(IntegerConverter):
    """Werkzeug's `int`, but ASCII digits only (its `\\d+` takes any script's digits)."""

    regex = "[0-9]+"


class PeriodConverter(BaseConverter):
    """A `YYYY-MM` month."""

    regex = periods.PERIOD_PATTERN


class QuarterConverter(BaseConverter):
    """A `YYYY-Qn` quarter."""

    regex = periods.QUARTER_PATTERN


CONVERTERS = {"int": AsciiIntegerConverter, "period": PeriodConverter, "quarter": QuarterConverter}


def init_app(app) -> None:
    """Install the converters before any route is added."""
    app.url_map.converters.update(CONVERTERS)
