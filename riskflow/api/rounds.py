"""Grading rounds through the API."""
from __future__ import annotations

from ..auth import policy
from ..db import get_session
from ..register import rounds, sheets
from .core import bp, caller, document, json_body


def round_json(session, rnd) -> dict:
    progress = rounds.completion(session, caller(), rnd.period)
    return {
        "period": rnd.period, "deadline": rnd.deadline.isoformat(),
        "closed": rounds.is_closed(rnd, rounds.periods.today()),
        "complete": rounds.complete(progress),
        "units": [_unit_json(p) for p in progress],
    }


def _unit_json(p) -> dict:
    return {"unit": p.unit.code, "graded": p.graded, "total": p.total, "open": p.open, "state": p.state,
            "returned_reason": p.returned_reason}


@bp.get("/rounds/<period:period>")
@document("A grading round and each unit's completion", response="Round", errors=(401, 404))
def get_round(period: str):
    db = get_session()
    policy.require(caller(), "grading_round.read")
    return round_json(db, policy.require_found(caller(), "grading_round.read", rounds.find(db, period)))


@bp.post("/rounds")
@document("Open a month's grading round", request_schema="RoundOpen", response="Round", status=201,
          errors=(400, 401, 403, 409, 422))
def open_round():
    db = get_session()
    policy.require(caller(), "round.manage")  # a role that may not gets 403 whatever it sent
    data = json_body()
    rnd = rounds.open_round(db, caller(), data.get("period"), data.get("deadline"))
    db.commit()
    return round_json(db, rnd), 201


@bp.post("/rounds/<period:period>/close")
@document("Close a round now: grades are locked", response="Round", errors=(401, 403, 404))
def close_round(period: str):
    db = get_session()
    rnd = rounds.close_round(db, caller(), period)
    db.commit()
    return round_json(db, rnd)


@bp.post("/rounds/<period:period>/reopen")
@document("Reopen a closed round for one unit, with a reason", request_schema="RoundReopen", response="Round",
          errors=(400, 401, 403, 404, 422))
def reopen_round(period: str):
    db = get_session()
    policy.require(caller(), "round.manage")
    data = json_body()
    reopening = rounds.reopen_for_unit(db, caller(), period, str(data.get("unit") or ""), data.get("reason"),
                                       data.get("deadline"))
    db.commit()
    return round_json(db, db.get(rounds.GradingRound, reopening.round_id))


@bp.post("/rounds/<period:period>/units/<code>/transitions")
@document("Take a step of a unit's grading sheet (submit, confirm, accept, return): 409 not from this state, 403 "
          "role, 422 guard or missing comment", request_schema="TransitionRequest", response="RoundUnit",
          errors=(400, 401, 403, 404, 409, 422))
def sheet_transition(period: str, code: str):
    db = get_session()
    data = json_body()
    fields = {k: v for k, v in data.items() if k != "transition"}
    sheets.fire(db, caller(), period, code, data["transition"], **fields)
    db.commit()
    progress = {p.unit.code: p for p in rounds.completion(db, caller(), period)}
    if code in progress:
        return _unit_json(progress[code])
    # A unit with no risks of the month: nothing to count, its sheet all the same.
    unit = sheets.unit_by_code(db, code)
    return {"unit": code, "graded": 0, "total": 0, "open": rounds.is_open_for(db, period, unit.id),
            "state": sheets.state_of(db, period, unit.id), "returned_reason": ""}
