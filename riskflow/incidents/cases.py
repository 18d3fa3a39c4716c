"""Warning cases (警示案例): incidents the quarterly review meeting marks so that every unit learns from them.

An incident stays its unit's (the full record, its evidence and history are out of other units' scope); what
every unit reads is its shared view, decided here and nowhere else: `shared_json`. Marking is the risk
manager's, once the meeting has reviewed the incident; the first mark tells every unit."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import history
from ..auth import policy
from ..errors import Conflict, Invalid
from ..notifications import events
from .models import Incident

# What every unit may read of a warning case: not the description, handling, reporter, evidence, corrective
# action, history or anything else recorded with the incident.
SHARED_FIELDS = ("code", "title", "kind", "occurred_on", "unit", "unit_name", "cause", "lessons", "gross_loss",
                 "net_loss")


def shared_json(incident: Incident) -> dict:
    """The shared view of a warning case, the only part of it another unit reads (page and API alike)."""
    return {"code": incident.code, "title": incident.title, "kind": incident.kind,
            "occurred_on": incident.occurred_on.isoformat(), "unit": incident.unit.code,
            "unit_name": incident.unit.name, "cause": incident.cause, "lessons": incident.lessons,
            "gross_loss": float(incident.gross_loss), "net_loss": float(incident.net_loss)}


def query(actor):
    """The warning cases, newest occurrence first: every role reads them, whichever unit they belong to."""
    policy.require(actor, "warning_case.read")
    return (select(Incident).where(Incident.warning_case.is_(True))
            .order_by(Incident.occurred_on.desc(), Incident.id.desc()))


def markable(session: Session, actor, incident_id) -> Incident:
    """The incident ACTOR may mark or unmark: another unit's is NotFound, a role that may not is Forbidden."""
    return policy.require_found(actor, "warning_case.mark", session.get(Incident, incident_id))


def mark(session: Session, actor, incident_id, warning_case) -> Incident:
    """Mark an incident as a warning case (WARNING_CASE True) or take the mark off; recorded in its history.
    Only a reviewed incident (the meeting has discussed it) becomes one. The first mark tells every unit; a
    mark taken off and put back is not announced again."""
    incident = markable(session, actor, incident_id)
    if not isinstance(warning_case, bool):
        raise Invalid.field("warning_case", _l("Must be true or false."))
    if warning_case == incident.warning_case:
        return incident
    if warning_case and incident.state == "reported":
        raise Conflict(_l("%(code)s was not marked.", code=incident.code),
                       {"warning_case": [_l("An incident becomes a warning case once the review meeting has "
                                            "reviewed it.")]})
    incident.warning_case = warning_case
    session.flush()
    history.record(session, actor, "incident", incident.id,
                   "warning_case_marked" if warning_case else "warning_case_unmarked",
                   changes={"warning_case": [not warning_case, warning_case]})
    if warning_case:
        events.lesson_shared(session, incident, actor)
    return incident
