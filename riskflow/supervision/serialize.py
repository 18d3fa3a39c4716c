"""The API's JSON views of supervision rows."""
from __future__ import annotations

from .. import periods
from ..workflow import engine
from .benefits import visible_total
from .escalation import colour, settings
from .inspections import raised_from
from .models import Recommendation, SupervisionProject
from .risklinks import visible_risks
from .service import is_overdue, visible_recommendations


def project_json(session, project: SupervisionProject, actor) -> dict:
    return {
        "id": project.id, "code": project.code, "year": project.year, "title": project.title,
        "kind": project.kind, "method": project.method, "lead_unit": project.lead_unit.code,
        "participating_units": [u.code for u in project.participating_units], "reason": project.reason,
        "scope": project.scope, "control_points": project.control_points, "plan": project.plan,
        "start_date": project.start_date.isoformat() if project.start_date else None,
        "end_date": project.end_date.isoformat() if project.end_date else None,
        "economic_benefit": float(visible_total(session, actor, project)),
        "indirect_benefit": project.indirect_benefit,
        "state": project.state, "origin": project.origin, "workflow_version": project.workflow_version,
        "transitions": [t.name for t in engine.allowed(session, project, actor)],
        "recommendations": [r.id for r in visible_recommendations(actor, project)],
        "risk_ids": [risk.id for risk in visible_risks(actor, project)], "version": project.version,
    }


def recommendation_json(session, rec: Recommendation, actor) -> dict:
    today = periods.today()
    blue, red = settings()
    return {
        "id": rec.id, "project_id": rec.project_id, "letter_no": rec.letter_no, "finding": rec.finding,
        "basis": rec.basis, "recommendation": rec.recommendation, "responsible_unit": rec.responsible_unit.code,
        "due_date": rec.due_date.isoformat(), "state": rec.state, "overdue": is_overdue(rec, today),
        "escalation": colour(rec.due_date, rec.state == "verified", today, blue, red),
        "rectification_report": rec.rectification_report, "inspection_id": rec.inspection_id,
        "workflow_version": rec.workflow_version,
        "transitions": [t.name for t in engine.allowed(session, rec, actor)],
        "risk_ids": [risk.id for risk in visible_risks(actor, rec)], "version": rec.version,
    }


def inspection_json(inspection, actor) -> dict:
    """An inspection with the ids of the recommendations raised from it that ACTOR may see."""
    return {
        "id": inspection.id, "project_id": inspection.project_id, "held_on": inspection.held_on.isoformat(),
        "methods": list(inspection.methods), "findings": inspection.findings, "rating": inspection.rating,
        "recommendations": [rec.id for rec in raised_from(actor, inspection.project, inspection)],
        "version": inspection.version,
    }
