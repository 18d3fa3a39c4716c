"""The grading standard, categories, heat map, major risks and warnings through the API."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l

from ..actions import counting
from ..actions.serialize import action_brief
from ..auth import policy
from ..auth.service import require_unit
from ..db import get_session
from ..errors import FieldErrors
from ..register import analysis, standard, warnings
from ..register.assessments import check_period
from ..register.models import WARNING_STATUSES
from ..register.serialize import warning_json
from .. import periods, values
from .core import bp, caller, document, json_body, paginate
from .schemas import PERIOD, UNIT_CODE

PERIOD_PARAM = ("period", True, PERIOD)
UNIT_PARAM = ("unit", False, UNIT_CODE)


def _period_arg() -> str:
    errors = FieldErrors()
    period = check_period(request.args.get("period"), errors)
    errors.raise_if_any(_l("Say which month: period=YYYY-MM."))
    return period


def _unit_arg() -> int | None:
    code = request.args.get("unit")
    return require_unit(get_session(), code).id if code else None


@bp.get("/categories")
@document("Risk categories, two levels", response="CategoryList")
def list_categories():
    policy.require(caller(), "category.read")
    return [standard.category_json(c) for c in standard.list_categories(get_session())]


@bp.get("/standard")
@document("The grading standard in force: scales, bands and every cell's level", response="Standard")
def get_standard():
    policy.require(caller(), "standard.read")
    return standard.standard_json(standard.current_record(get_session()))


@bp.get("/heatmap")
@document("Heat map of a period: counts per cell", response="Heatmap", errors=(401, 404, 422),
          params=(PERIOD_PARAM, UNIT_PARAM))
def get_heatmap():
    period = _period_arg()
    return analysis.heatmap(get_session(), caller(), period, _unit_arg())


@bp.get("/major-risks")
@document("The top N risks of a period in the contract's order", response="MajorRisks", errors=(401, 404, 422),
          params=(PERIOD_PARAM, ("top", False, {"type": "integer", "minimum": 1, "maximum": 200}), UNIT_PARAM))
def get_major_risks():
    period = _period_arg()
    top = values.whole(request.args.get("top") or "10")  # checked against the note's schema already
    ranked = analysis.major_risks(get_session(), caller(), period, top, _unit_arg())
    return {"period": period, "items": [r.to_dict() for r in ranked]}


@bp.get("/warnings")
@document("Warnings of a period, most severe first, filtered by unit and status", response="Warning",
          errors=(401, 404, 422), paged=True,
          params=(PERIOD_PARAM, UNIT_PARAM, ("status", False, {"type": "string", "enum": list(WARNING_STATUSES)})))
def list_warnings():
    period = _period_arg()
    db = get_session()
    stmt = warnings.ranked(caller(), period, unit_id=_unit_arg(), status=request.args.get("status"))
    return {"period": period, **paginate(db, stmt, serialize_page=lambda rows: _with_actions(db, rows))}


def _with_actions(db, rows) -> list[dict]:
    """The warnings of a page as JSON, each with its actions (loaded for the whole page in one query)."""
    found = counting.of_warnings(db, [w.id for w in rows])
    today = periods.today()
    return [{**warning_json(w), "actions": [action_brief(a, today) for a in found[w.id]]} for w in rows]


@bp.patch("/warnings/<int:warning_id>")
@document("Record a warning's response, progress (0–100) and status; with the version read last, a stale one "
          "gets 409", request_schema="WarningPatch", response="Warning", errors=(400, 401, 403, 404, 409, 422))
def patch_warning(warning_id: int):
    db = get_session()
    warning = warnings.update(db, caller(), warning_id, json_body())
    db.commit()
    return _with_actions(db, [warning])[0]
