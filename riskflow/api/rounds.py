"""Grading rounds through the API."""
from __future__ import annotations

from ..auth import policy
from ..db import get_session
from ..register import rounds
from .core import bp, caller, document, json_body


def round_json(session, rnd) -> dict:
    progress = rounds.completion(session, caller(), rnd.period)
    return {
        "period": rnd.period, "deadline": rnd.deadline.isoformat(),
        "closed": rounds.is_closed(rnd, rounds.periods.today()),
        "units": [{"unit": p.unit.code, "graded": p.graded, "total": p.total, "open": p.open} for p in progress],
    }


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
