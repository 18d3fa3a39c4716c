"""Risk proposals through the API: a recommendation proposes, the risk manager accepts or declines."""
from __future__ import annotations

from flask import request

from ..db import get_session
from ..supervision import risk_proposals as proposals
from .core import bp, caller, document, json_body, paginate
from .schemas import ID, INT, SCHEMAS, STR, VERSION, _input, _obj, _text

GRADE = {"type": "integer", "minimum": 1, "maximum": proposals.GRADE_SIZE}
SCHEMAS.update({
    "RiskProposal": _obj(("id", "recommendation_id", "letter_no", "kind", "unit", "state", "version"),
                         id=INT, recommendation_id=INT, letter_no=STR, kind={"type": "string", "enum": ["new", "regrade"]},
                         unit=STR, risk_id={"type": ["integer", "null"]}, risk_code={"type": ["string", "null"]},
                         category={"type": ["string", "null"]}, title=STR, likelihood=INT, impact=INT, reason=STR,
                         state={"type": "string", "enum": ["proposed", "accepted", "declined"]},
                         decision_comment=STR, decided_at={"type": ["string", "null"]}, created_at=STR,
                         version=VERSION),
    # new: title, category, likelihood, impact, reason; regrade: risk_id, likelihood, impact, reason.
    "RiskProposalCreate": _input(("kind", "likelihood", "impact", "reason"),
                                 kind={"type": "string", "enum": ["new", "regrade"]}, title=_text(200),
                                 category={"type": "string", "maxLength": 40}, risk_id=ID, likelihood=GRADE,
                                 impact=GRADE, reason=_text(4000, required=True)),
    # A decline needs its reason in `comment` (the service says so at the field).
    "RiskProposalDecision": _input((), comment=_text(4000), version=VERSION),
})
STATE_PARAM = {"type": "string", "enum": ["proposed", "accepted", "declined"]}


@bp.post("/recommendations/<int:rec_id>/risk-proposals")
@document("Propose a new risk or a regrade from a recommendation's finding (inspector)",
          request_schema="RiskProposalCreate", response="RiskProposal", status=201, errors=(400, 401, 403, 404, 422))
def create_risk_proposal(rec_id: int):
    db = get_session()
    proposal = proposals.propose(db, caller(), rec_id, json_body())
    db.commit()
    return proposals.proposal_json(db, proposal), 201


@bp.get("/risk-proposals")
@document("Risk proposals, open ones first (filter state)", response="RiskProposal", paged=True, errors=(401, 422),
          params=(("state", False, STATE_PARAM),))
def list_risk_proposals():
    db = get_session()
    stmt = proposals.query(caller(), state=proposals.check_state(request.args.get("state")))
    return paginate(db, stmt, lambda p: proposals.proposal_json(db, p))


@bp.get("/risk-proposals/<int:proposal_id>")
@document("One risk proposal", response="RiskProposal", errors=(401, 404))
def get_risk_proposal(proposal_id: int):
    db = get_session()
    return proposals.proposal_json(db, proposals.get(db, caller(), proposal_id))


@bp.post("/risk-proposals/<int:proposal_id>/accept")
@document("Accept a proposal into the register (risk manager); decided already or stale: 409",
          request_schema="RiskProposalDecision", response="RiskProposal", errors=(400, 401, 403, 404, 409, 422))
def accept_risk_proposal(proposal_id: int):
    db = get_session()
    proposal = proposals.accept(db, caller(), proposal_id, json_body())
    db.commit()
    return proposals.proposal_json(db, proposal)


@bp.post("/risk-proposals/<int:proposal_id>/decline")
@document("Decline a proposal with the reason in `comment` (risk manager); decided already or stale: 409",
          request_schema="RiskProposalDecision", response="RiskProposal", errors=(400, 401, 403, 404, 409, 422))
def decline_risk_proposal(proposal_id: int):
    db = get_session()
    proposal = proposals.decline(db, caller(), proposal_id, json_body())
    db.commit()
    return proposals.proposal_json(db, proposal)
