"""Budget indicators through the API: definitions, each year's targets, monthly values."""
from __future__ import annotations

from flask import request

from ..db import get_session
from ..indicators import service as indicators
from ..indicators.serialize import indicator_json
from .core import bp, caller, document, json_body, paginate
from .schemas import UNIT_CODE
from ..auth.service import require_unit
from .. import periods, values

YEAR_PARAM = ("year", False, {"type": "integer", "minimum": 2000, "maximum": 9999})


@bp.get("/indicators")
@document("Budget indicators, filtered by unit, each with its newest value", response="Indicator", paged=True,
          errors=(401, 404, 422),
          params=(("unit", False, UNIT_CODE),))
def list_indicators():
    db = get_session()
    unit = request.args.get("unit")
    unit_id = require_unit(db, unit).id if unit else None

    def serialize_page(rows):
        latest = indicators.latest_values(db, [i.id for i in rows])
        return [indicator_json(i, latest.get(i.id)) for i in rows]

    return paginate(db, indicators.query(caller(), unit_id=unit_id), serialize_page=serialize_page)


@bp.post("/indicators")
@document("Define an indicator", request_schema="IndicatorCreate", response="Indicator", status=201,
          errors=(400, 401, 403, 409, 422))
def create_indicator():
    db = get_session()
    indicator = indicators.create(db, caller(), json_body())
    db.commit()
    return indicator_json(indicator), 201


@bp.get("/indicators/<int:indicator_id>")
@document("One indicator with its newest value", response="Indicator", errors=(401, 404))
def get_indicator(indicator_id: int):
    db = get_session()
    return _one_indicator(db, indicators.get(db, caller(), indicator_id))


@bp.patch("/indicators/<int:indicator_id>")
@document("Edit an indicator's definition; with the version read last, a stale one gets 409",
          request_schema="IndicatorPatch", response="Indicator", errors=(400, 401, 403, 404, 409, 422))
def patch_indicator(indicator_id: int):
    db = get_session()
    indicator = indicators.update(db, caller(), indicator_id, json_body())
    db.commit()
    return _one_indicator(db, indicator)


def _one_indicator(db, indicator) -> dict:
    """INDICATOR as the API shows it, with its newest value."""
    return indicator_json(indicator, indicators.latest_values(db, [indicator.id]).get(indicator.id))


@bp.put("/indicators/<int:indicator_id>/targets/<int:year>")
@document("Set a year's annual target and twelve monthly budgets (numbers or nulls)", request_schema="Targets",
          response="TargetsSet", errors=(400, 401, 403, 404, 422))
def put_targets(indicator_id: int, year: int):
    db = get_session()
    indicators.put_targets(db, caller(), indicator_id, year, json_body())
    db.commit()
    return indicators.targets_json(db, indicators.get(db, caller(), indicator_id), year)


@bp.get("/indicators/<int:indicator_id>/targets/<int:year>")
@document("A year's annual target, monthly budgets and effective budgets", response="TargetsSet",
          errors=(401, 404, 422))
def get_targets(indicator_id: int, year: int):
    db = get_session()
    return indicators.read_targets(db, caller(), indicator_id, year)


@bp.post("/indicators/<int:indicator_id>/values")
@document("Record (or correct) a month's value; says what the rule compared it with and whether it breached",
          request_schema="IndicatorValue", response="Breach", status=(201, 200), errors=(400, 401, 403, 404, 422))
def record_indicator_value(indicator_id: int):
    db = get_session()
    row, created = indicators.record_value(db, caller(), indicator_id, json_body())
    db.commit()
    return indicators.value_json(row), 201 if created else 200


@bp.get("/indicators/<int:indicator_id>/values")
@document("A year's values, oldest first, with the year to date and what each was compared with",
          response="IndicatorValues", errors=(401, 404, 422), params=(YEAR_PARAM,))
def list_indicator_values(indicator_id: int):
    db = get_session()
    year = values.whole_or(request.args.get("year"), None) if "year" in request.args else periods.current_year()
    return {"items": indicators.year_values(db, caller(), indicator_id, year)}
