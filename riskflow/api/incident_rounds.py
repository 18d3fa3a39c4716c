"""Quarterly collection, review meetings and calibration through the API."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import periods
from ..auth import policy
from ..db import get_session
from ..errors import NotFound
from ..incidents import calibration, meetings, rounds
from .core import bp, caller, document, json_body


def round_json(session, quarter: str) -> dict:
    rnd = rounds.find(session, quarter)
    if rnd is None:
        raise NotFound(_l("There is no collection for %(quarter)s.", quarter=quarter))
    return {
        "quarter": quarter, "deadline": rnd.deadline.isoformat(), "closed": rnd.closed_at is not None,
        "units": [{"unit": s.unit.code, "status": s.status, "nil": s.nil, "incidents": s.incidents,
                   "submitted_on": s.submitted_on.isoformat() if s.submitted_on else None}
                  for s in rounds.status(session, caller(), quarter)],
    }


@bp.post("/incident-rounds")
@document("Open a quarter's incident collection", request_schema="IncidentRoundOpen", response="IncidentRound",
          status=201, errors=(400, 401, 403, 409, 422))
def open_incident_round():
    db = get_session()
    policy.require(caller(), "incident_round.manage")  # a role that may not gets 403 whatever it sent
    data = json_body()
    rnd = rounds.open_round(db, caller(), data.get("quarter"), data.get("deadline"))
    db.commit()
    return round_json(db, rnd.quarter), 201


@bp.get("/incident-rounds/<quarter:quarter>")
@document("Which units have answered a quarter: done, late, missing or overdue", response="IncidentRound",
          errors=(401, 404))
def get_incident_round(quarter: str):
    return round_json(get_session(), quarter)


@bp.post("/incident-rounds/<quarter:quarter>/answer")
@document("Submit the caller's unit's quarter: its incidents, or a nil report", request_schema="IncidentAnswer",
          response="IncidentRound", errors=(400, 401, 403, 404, 409))
def answer_incident_round(quarter: str):
    db = get_session()
    policy.require(caller(), "incident_round.answer")
    data = json_body()
    rounds.answer(db, caller(), quarter, caller().unit_id, bool(data.get("nil")))
    db.commit()
    return round_json(db, quarter)


@bp.post("/review-meetings")
@document("Record a review meeting; each incident named is reviewed with the meeting's conclusion",
          request_schema="MeetingCreate", response="Meeting", status=201, errors=(400, 401, 403, 409, 422))
def record_meeting():
    db = get_session()
    meeting = meetings.record(db, caller(), json_body())
    db.commit()
    return {"id": meeting.id, "quarter": meeting.quarter, "held_on": meeting.held_on.isoformat(),
            "incident_ids": [item.incident_id for item in meeting.items]}, 201


@bp.get("/calibration")
@document("Risks whose incidents of the last two years outrun their graded likelihood", response="CalibrationList",
          errors=(401,))
def get_calibration():
    flags = calibration.miscalibrated(get_session(), caller(), periods.today())
    return {"items": [{"risk_id": c.risk.id, "code": c.risk.code, "likelihood": c.latest.likelihood,
                       "incidents": c.incidents, "per_year": float(c.rate), "implied_likelihood": c.implied}
                      for c in flags]}


