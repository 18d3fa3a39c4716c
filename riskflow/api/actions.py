"""Actions (措施与整改任务) through the API."""
from __future__ import annotations

from flask import request

from .. import values
from ..actions import service
from ..actions.serialize import action_json, actions_json
from ..db import get_session
from .core import bp, caller, document, json_body, paginate
from .schemas import ID, TEXT_PARAM, UNIT_CODE
from .supervision import attach
from .transitions import register_kind

STATE_PARAM = {"type": "string", "enum": ["open", "in_progress", "submitted", "done", "cancelled"]}
UNIT_PARAM = {"anyOf": [UNIT_CODE, {"type": "string", "enum": [values.COMPANY_WIDE]}]}


def _id(name: str):
    raw = request.args.get(name)
    return values.whole(raw) if raw else None  # checked against the schema already


@bp.get("/actions")
@document("Actions, by due date (filters state, overdue, unit, owner, risk_id, warning_id, incident_id, "
          "meeting_id); a unit's roles list their own unit's", response="Action", paged=True, errors=(401, 422),
          params=(("state", False, STATE_PARAM), ("overdue", False, "boolean"), ("unit", False, UNIT_PARAM),
                  ("owner", False, TEXT_PARAM), ("risk_id", False, ID), ("warning_id", False, ID),
                  ("incident_id", False, ID), ("meeting_id", False, ID)))
def list_actions():
    db = get_session()
    args = request.args
    overdue = args.get("overdue") or None
    stmt = service.query(caller(), state=args.get("state") or None,
                         overdue=None if overdue is None else overdue in ("true", "1"),
                         unit=args.get("unit") or None, owner=args.get("owner") or None, risk_id=_id("risk_id"),
                         warning_id=_id("warning_id"), incident_id=_id("incident_id"),
                         meeting_id=_id("meeting_id"))
    return paginate(db, stmt, serialize_page=lambda rows: actions_json(db, rows, caller()))


@bp.post("/actions")
@document("Assign an action: an owner who can act for the linked items' unit, a due date not past",
          request_schema="ActionCreate", response="Action", status=201, errors=(400, 401, 403, 409, 422))
def create_action():
    db = get_session()
    action = service.create(db, caller(), json_body())
    db.commit()
    return action_json(db, action, caller()), 201


@bp.get("/actions/<int:action_id>")
@document("One action", response="Action", errors=(401, 404))
def get_action(action_id: int):
    db = get_session()
    return action_json(db, service.get(db, caller(), action_id), caller())


@bp.patch("/actions/<int:action_id>")
@document("Edit an action until it is submitted; with the version read last, a stale one gets 409",
          request_schema="ActionPatch", response="Action", errors=(400, 401, 403, 404, 409, 422))
def patch_action(action_id: int):
    db = get_session()
    action = service.update(db, caller(), action_id, json_body())
    db.commit()
    return action_json(db, action, caller())


@bp.post("/actions/<int:action_id>/attachments")
@document("Attach evidence to an action (multipart field 'file'): its own unit or the risk manager",
          response="Attachment", status=201, errors=(400, 401, 403, 404, 413, 422))
def attach_to_action(action_id: int):
    return attach("action", action_id)


register_kind("actions", service.get, action_json)
