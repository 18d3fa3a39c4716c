"""The API's JSON view of an indicator."""
from __future__ import annotations

from decimal import Decimal

from .models import Indicator


def decimal_json(value: Decimal | None):
    """A decimal for JSON: an int when whole, else a float of its shortest text."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def indicator_json(i: Indicator, latest=None) -> dict:
    body = {
        "id": i.id, "code": i.code, "name": i.name, "unit": i.unit.code if i.unit else None, "measure": i.measure,
        "rule": i.rule, "carry_over": i.carry_over, "plan": i.plan, "risk_id": i.risk_id,
        "owner": i.owner.username if i.owner else None, "active": i.active, "version": i.version,
    }
    if latest is not None:
        body["latest"] = {"period": latest.period, "value": decimal_json(latest.value), "breached": latest.breached}
    return body
