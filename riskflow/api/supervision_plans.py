"""The year's supervision plan through the API."""
from __future__ import annotations

from ..db import get_session
from ..supervision import plan as year_plan
from .core import bp, caller, document, json_body


def plan_json(plan: year_plan.Plan) -> dict:
    """A year's plan: its ten dates, notes, version (0 while the defaults stand) and whether it is stored."""
    return {"year": plan.year, "stored": plan.stored, "notes": plan.notes, "version": plan.version,
            **{name: day.isoformat() for name, day in plan.dates.items()}}


@bp.get("/supervision-plans/<int:year>")
@document("A year's supervision plan: the stored one, else the default dates (stored false)",
          response="SupervisionPlan", errors=(401, 422))
def get_plan(year: int):
    caller()
    return plan_json(year_plan.plan_for(get_session(), year))


@bp.put("/supervision-plans/<int:year>")
@document("Set a year's supervision plan (inspectors, the admin); with the version read (0 for the defaults), a "
          "stale one gets 409", request_schema="SupervisionPlanPut", response="SupervisionPlan",
          errors=(400, 401, 403, 409, 422))
def put_plan(year: int):
    db = get_session()
    plan = year_plan.save_plan(db, caller(), year, json_body())
    db.commit()
    return plan_json(plan)
