"""Checks of submitted values shared by the services: each adds its error to a FieldErrors and
returns a clean value (or None / zero), so a service names every bad field at once."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from . import values
from .errors import FieldErrors

MAX_YUAN = Decimal(10) ** 15


def texts(data: dict, limits: dict[str, int], errors: FieldErrors) -> dict[str, str]:
    """The text fields of DATA named in LIMITS, stripped; a missing one is empty."""
    values = {}
    for name, limit in limits.items():
        value = data.get(name) or ""
        if not isinstance(value, str):
            errors.add(name, _l("Must be text."))
            continue
        if len(value) > limit:
            errors.add(name, _l("At most %(n)d characters.", n=limit))
        values[name] = value.strip()
    return values


def a_date(value, field: str, errors: FieldErrors, required: bool = False) -> date | None:
    """A date from a date or an ISO `YYYY-MM-DD` string."""
    if value in (None, ""):
        if required:
            errors.add(field, _l("A date is required."))
        return None
    if isinstance(value, date):
        return value
    try:
        return values.parse_date(value)
    except ValueError:
        errors.add(field, values.DATE_MESSAGE)
        return None


def yuan(value, field: str, errors: FieldErrors) -> Decimal:
    """A non-negative amount in yuan, to the fen; empty is zero."""
    if value in (None, ""):
        return Decimal(0)
    try:
        amount = values.decimal(value)
    except ValueError:
        errors.add(field, values.NUMBER_MESSAGE)
        return Decimal(0)
    if amount < 0 or amount >= MAX_YUAN:
        errors.add(field, _l("A non-negative amount in yuan."))
        return Decimal(0)
    return amount.quantize(Decimal("0.01"))


def one_of(labels: dict):
    """The refusal of a value that is none of LABELS' codes, naming the choices as people read them (in the
    user's language: "风险规避, 风险降低…", never the codes)."""
    return _l("One of: %(names)s.", names=", ".join(str(label) for label in labels.values()))
