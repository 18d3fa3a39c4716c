"""Risk proposals: a recommendation's finding proposes a new risk or a regrade of one of its unit's risks to the
risk manager, who accepts it into the register (through the register's own services) or declines it with a
reason."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .. import history, periods, versions
from ..auth import policy
from ..auth.models import Unit
from ..db import utcnow, valid_id
from ..errors import Conflict, FieldErrors
from ..notifications import events, kinds as notification_kinds
from ..register import assessments, risks
from ..register.models import Category, Risk
from ..register.standard import category_by_code
from ..validation import one_of, texts
from .models import RISK_PROPOSAL_KINDS, RISK_PROPOSAL_STATES, RiskProposal
from .service import get_recommendation

# The inspector proposes; the risk manager decides (the register is theirs). A unit's roles read their unit's.
policy.allow("risk_proposal.read", policy.ALL)
policy.allow("risk_proposal.create", {"admin", "inspector"})
policy.allow("risk_proposal.decide", policy.MANAGERS)

GRADE_SIZE = 5
RISK_PROPOSAL_KIND_LABELS = {"new": _l("New risk"), "regrade": _l("Regrade")}
RISK_PROPOSAL_STATE_LABELS = {"proposed": _l("Waiting for a decision"), "accepted": _l("Accepted"),
                              "declined": _l("Declined")}
# The decision as the proposer's notification says it, in the reader's language.
DECISION_WORDS = {"accepted": _l("accepted into the register"), "declined": _l("declined by the risk manager")}
notification_kinds.READ_PARAMS["risk_proposal_decided"] = lambda params: (
    {"decision": str(DECISION_WORDS[params["decision"]])} if params.get("decision") in DECISION_WORDS else {})


def _grade(data: dict, errors: FieldErrors) -> dict:
    values = {}
    for name in ("likelihood", "impact"):
        value = data.get(name)
        if not valid_id(value) or value > GRADE_SIZE:
            errors.add(name, _l("A whole number from 1 to %(n)d.", n=GRADE_SIZE))
        values[name] = value
    return values


def propose(session: Session, actor, rec_id: int, data: dict) -> RiskProposal:
    """Propose from a recommendation: `new` (title, category, likelihood, impact, reason; the unit is the
    recommendation's responsible unit) or `regrade` (`risk_id` or `risk_code`, one of that unit's active risks,
    the proposed likelihood and impact, reason)."""
    rec = get_recommendation(session, actor, rec_id)
    policy.require(actor, "risk_proposal.create")
    errors = FieldErrors()
    kind = data.get("kind")
    if kind not in RISK_PROPOSAL_KINDS:
        errors.add("kind", one_of(RISK_PROPOSAL_KIND_LABELS))
    values = texts(data, {"reason": 4000, **({"title": 200} if kind == "new" else {})}, errors)
    if "reason" not in errors.errors and not values.get("reason"):
        errors.add("reason", _l("Give the reason for the proposal."))
    values.update(_grade(data, errors))
    if kind == "new":
        if "title" not in errors.errors and not values.get("title"):
            errors.add("title", _l("A title is required."))
        category = category_by_code(session, str(data.get("category") or ""))
        if category is None:
            errors.add("category", _l("Unknown category %(code)s.", code=data.get("category")))
        else:
            values["category_id"] = category.id
    elif kind == "regrade":
        values["risk_id"] = _regraded(session, rec, data, errors)
    errors.raise_if_any(_l("The risk proposal was not saved."))
    proposal = RiskProposal(recommendation_id=rec.id, kind=kind, unit_id=rec.responsible_unit_id,
                            created_by_id=actor.id, **values)
    session.add(proposal)
    session.flush()
    history.record(session, actor, "recommendation", rec.id, "propose_risk",
                   changes={"risk_proposal": [None, describe(session, proposal)]})
    events.risk_proposed(session, proposal)
    return proposal


def _regraded(session: Session, rec, data: dict, errors: FieldErrors) -> int | None:
    """The id of the risk a regrade names (by `risk_id`, or by `risk_code` from the page): an active risk of
    the recommendation's unit."""
    field = "risk_code" if "risk_code" in data else "risk_id"
    asked = data.get(field)
    if asked is None or not str(asked).strip():
        errors.add(field, _l("Give the code of the risk to regrade."))
        return None
    if field == "risk_code":
        code = str(asked or "").strip()
        risk = session.scalar(select(Risk).where(func.upper(Risk.code) == code.upper())) if code else None
    else:
        risk = session.get(Risk, asked) if valid_id(asked) else None
    if risk is None or risk.unit_id != rec.responsible_unit_id:
        errors.add(field, _l("%(risk)s is not a risk of %(unit)s.", risk=asked,
                             unit=rec.responsible_unit.name))
        return None
    if risk.status != "active":
        errors.add(field, _l("Risk %(code)s is retired and is no longer graded.", code=risk.code))
        return None
    return risk.id


def describe(session: Session, proposal: RiskProposal) -> str:
    """A proposal in a few words for the history: `new 应收账款逾期风险 3×4` or `regrade BJ-001 3×4`."""
    what = proposal.title if proposal.kind == "new" else session.get(Risk, proposal.risk_id).code
    return f"{proposal.kind} {what} {proposal.likelihood}×{proposal.impact}"


def get(session: Session, actor, proposal_id: int) -> RiskProposal:
    """A proposal ACTOR may see (another unit's is NotFound)."""
    return policy.require_found(actor, "risk_proposal.read", session.get(RiskProposal, proposal_id))


def query(actor, *, state: str | None = None):
    """The proposals ACTOR may see, open ones first, then newest first."""
    policy.require(actor, "risk_proposal.read")
    stmt = select(RiskProposal).order_by((RiskProposal.state != "proposed"), RiskProposal.id.desc())
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where(RiskProposal.unit_id == scope)
    if state:
        stmt = stmt.where(RiskProposal.state == state)
    return stmt


def check_state(value) -> str | None:
    """A list filter's state, checked (422 naming `state`)."""
    if value and value not in RISK_PROPOSAL_STATES:
        errors = FieldErrors()
        errors.add("state", one_of(RISK_PROPOSAL_STATE_LABELS))
        errors.raise_if_any(_l("Invalid filter."))
    return value or None


def count_open(session: Session, actor) -> int:
    """How many proposals wait for a decision, of those ACTOR may see."""
    stmt = query(actor, state="proposed").order_by(None).with_only_columns(func.count(RiskProposal.id))
    return session.scalar(stmt) or 0


def _deciding(session: Session, actor, proposal_id: int, data: dict) -> tuple[RiskProposal, str]:
    """The proposal to decide, still open and at the version read (409 otherwise), and the decision's comment.
    Its row is written first: of two deciding at once, the second's UPDATE matches no row (409) before
    anything reaches the register."""
    proposal = get(session, actor, proposal_id)
    policy.require(actor, "risk_proposal.decide")
    errors = FieldErrors()
    version_read = versions.read(data, errors)
    comment = texts(data, {"comment": 4000}, errors).get("comment", "")
    errors.raise_if_any(_l("The decision was not saved."))
    if proposal.state != "proposed":
        raise Conflict(_l("This proposal was already decided (%(state)s).",
                          state=RISK_PROPOSAL_STATE_LABELS[proposal.state]),
                       {"state": [_l("Already decided.")]})
    versions.refuse_stale(version_read, proposal.version, _l(
        "Someone else changed this proposal since you read it (version %(theirs)s, yours %(yours)s); "
        "reload it and decide again.", theirs=proposal.version, yours=version_read))
    return proposal, comment


def _decided(session: Session, actor, proposal: RiskProposal, state: str, comment: str) -> None:
    proposal.state, proposal.decision_comment = state, comment
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    session.flush()  # the version column: a decision made meanwhile makes this one 409


def accept(session: Session, actor, proposal_id: int, data: dict) -> RiskProposal:
    """Accept a proposal into the register: a new risk is created (its code generated) with the proposed grade
    for the current month and named on the recommendation; a regrade records (or revises) the current
    month's grade. The register's rules apply: a month whose grading sheet is past grading is its 409."""
    proposal, comment = _deciding(session, actor, proposal_id, data)
    _refuse_moved(session, proposal)
    _decided(session, actor, proposal, "accepted", comment)
    rec = proposal.recommendation
    rationale = f"依据监察建议 {rec.letter_no}"
    period = periods.current()
    if proposal.kind == "new":
        unit = session.get(Unit, proposal.unit_id)
        risk = risks.create(session, actor, {
            "title": proposal.title, "category": session.get(Category, proposal.category_id).code,
            "unit": unit.code, "source": f"{rationale}：{proposal.reason}"[:4000]})
        # The proposal's row was written once already (its decision): naming the risk is not a second change.
        session.execute(update(RiskProposal).where(RiskProposal.id == proposal.id).values(risk_id=risk.id)
                        .execution_options(synchronize_session=False))
        set_committed_value(proposal, "risk_id", risk.id)
        before = [r.code for r in rec.risks]
        rec.risks.append(risk)
        history.record(session, actor, "recommendation", rec.id, "name_risk",
                       changes={"risks": [before, before + [risk.code]]})
    grade = {"likelihood": proposal.likelihood, "impact": proposal.impact, "rationale": rationale}
    if assessments.find(session, proposal.risk_id, period) is None:
        assessments.record(session, actor, proposal.risk_id, {"period": period, **grade})
    else:
        assessments.revise(session, actor, proposal.risk_id, period, grade)
    session.flush()
    _told(session, actor, proposal)
    return proposal


def _refuse_moved(session: Session, proposal: RiskProposal) -> None:
    """A proposal enters its unit's register only while its recommendation (and a regraded risk) is still that
    unit's: one readdressed to another unit since would grade or add a risk on another unit's finding."""
    rec = proposal.recommendation
    risk = session.get(Risk, proposal.risk_id) if proposal.kind == "regrade" and proposal.risk_id else None
    if rec.responsible_unit_id != proposal.unit_id or (risk is not None and risk.unit_id != proposal.unit_id):
        raise Conflict(_l("Recommendation %(no)s or its risk has moved to another unit since this proposal was "
                          "made; decline it and propose again.", no=rec.letter_no),
                       {"state": [_l("Not possible now.")]})


def decline(session: Session, actor, proposal_id: int, data: dict) -> RiskProposal:
    """Decline a proposal; the reason (`comment`) is required and goes to the proposer."""
    proposal, comment = _deciding(session, actor, proposal_id, data)
    if not comment:
        errors = FieldErrors()
        errors.add("comment", _l("Give the reason for declining."))
        errors.raise_if_any(_l("The decision was not saved."))
    _decided(session, actor, proposal, "declined", comment)
    _told(session, actor, proposal)
    return proposal


def _told(session: Session, actor, proposal: RiskProposal) -> None:
    history.record(session, actor, "recommendation", proposal.recommendation_id, f"{proposal.state}_risk_proposal",
                   changes={"risk_proposal": [describe(session, proposal), proposal.state]},
                   comment=proposal.decision_comment or None)
    events.risk_proposal_decided(session, proposal)


def proposal_json(session: Session, proposal: RiskProposal) -> dict:
    """A proposal as the API gives it."""
    risk = session.get(Risk, proposal.risk_id) if proposal.risk_id else None
    category = session.get(Category, proposal.category_id) if proposal.category_id else None
    return {
        "id": proposal.id, "recommendation_id": proposal.recommendation_id,
        "letter_no": proposal.recommendation.letter_no, "kind": proposal.kind,
        "unit": session.get(Unit, proposal.unit_id).code, "risk_id": proposal.risk_id,
        "risk_code": risk.code if risk else None, "category": category.code if category else None,
        "title": proposal.title, "likelihood": proposal.likelihood, "impact": proposal.impact,
        "reason": proposal.reason, "state": proposal.state, "decision_comment": proposal.decision_comment,
        "decided_at": proposal.decided_at.isoformat() if proposal.decided_at else None,
        "created_at": proposal.created_at.isoformat() if proposal.created_at else None, "version": proposal.version,
    }
