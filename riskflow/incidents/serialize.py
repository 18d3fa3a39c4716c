"""The API's JSON view of an incident."""
from __future__ import annotations

from ..workflow import engine
from .models import SEVERITY_DIMENSIONS, Incident
from .service import linked_risks


def incident_json(session, incident: Incident, actor) -> dict:
    return {
        "id": incident.id, "code": incident.code, "title": incident.title, "kind": incident.kind,
        "unit": incident.unit.code, "occurred_on": incident.occurred_on.isoformat(),
        "discovered_on": incident.discovered_on.isoformat(), "recorded_on": incident.recorded_on.isoformat(),
        "quarter": incident.quarter, "loss_type": incident.loss_type,
        "losses": {"financial": float(incident.gross_loss),
                   **{d: getattr(incident, d) for d in SEVERITY_DIMENSIONS}},
        "recoveries": float(incident.recoveries), "net_loss": float(incident.net_loss),
        "description": incident.description, "cause": incident.cause, "handling": incident.handling,
        "lessons": incident.lessons, "corrective_action": incident.corrective_action,
        "action_owner": incident.action_owner,
        "action_due": incident.action_due.isoformat() if incident.action_due else None,
        "action_done": incident.action_done, "risk_ids": [r.id for r in linked_risks(actor, incident)],
        "state": incident.state, "warning_case": incident.warning_case,
        "transitions": [t.name for t in engine.allowed(session, incident, actor)], "version": incident.version,
    }
