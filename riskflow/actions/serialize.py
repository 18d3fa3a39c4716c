"""The API's JSON view of an action."""
from __future__ import annotations

from datetime import date

from .. import attachments as evidence
from .. import periods
from ..workflow import engine
from .models import Action
from .service import colour, is_overdue


def _iso(value):
    return value.isoformat() if value is not None else None


def file_json(attachment) -> dict:
    """An evidence file as an action lists it."""
    return {"id": attachment.id, "filename": attachment.filename, "size": attachment.size,
            "download_url": f"/api/v1/attachments/{attachment.id}"}


def actions_json(session, actions: list[Action], actor, today: date | None = None) -> list[dict]:
    """A page of actions as JSON, their evidence files loaded for the whole page in one query."""
    files = evidence.for_items(session, "action", [a.id for a in actions])
    return [action_json(session, a, actor, today, files[a.id]) for a in actions]


def action_json(session, action: Action, actor, today: date | None = None, files=None) -> dict:
    """ACTION as the API shows it; FILES are its evidence files when already loaded (else read here)."""
    today = today or periods.today()
    if files is None:
        files = evidence.for_item(session, "action", action.id)
    return {
        "id": action.id, "code": action.code, "title": action.title, "description": action.description,
        "owner": action.owner.username, "owner_name": action.owner.label,
        "unit": action.unit.code if action.unit else None, "due_date": action.due_date.isoformat(),
        "overdue": is_overdue(action, today), "escalation": colour(action, today), "state": action.state,
        "risk_id": action.risk_id, "warning_id": action.warning_id, "incident_id": action.incident_id,
        "meeting_id": action.meeting_id, "report": action.report, "submitted_at": _iso(action.submitted_at),
        "done_at": _iso(action.done_at), "created_at": _iso(action.created_at),
        "workflow_version": action.workflow_version,
        "transitions": [t.name for t in engine.allowed(session, action, actor)], "version": action.version,
        "attachments": [file_json(f) for f in files],
    }


def action_brief(action: Action, today: date) -> dict:
    """An action as a warning lists it: who does what by when, and how far it got."""
    return {"id": action.id, "code": action.code, "title": action.title, "state": action.state,
            "owner": action.owner.username, "due_date": action.due_date.isoformat(),
            "overdue": is_overdue(action, today)}
