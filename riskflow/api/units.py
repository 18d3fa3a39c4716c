"""Units through the API."""
from __future__ import annotations

from sqlalchemy import select

from ..auth import policy
from ..auth import service as auth_service
from ..auth.models import Unit
from ..db import get_session
from .core import bp, caller, document, json_body, paginate


def unit_json(unit: Unit) -> dict:
    """A unit as the caller may read it: its robot's address (which holds the robot's key) to admins only."""
    data = {"id": unit.id, "code": unit.code, "name": unit.name, "kind": unit.kind, "active": unit.active}
    if policy.can(caller(), "unit.manage"):
        data["webhook_url"] = unit.webhook_url
    return data


@bp.get("/units")
@document("List units", response="Unit", paged=True)
def list_units():
    policy.require(caller(), "unit.read")
    db = get_session()
    return paginate(db, select(Unit).order_by(Unit.code), unit_json)


@bp.post("/units")
@document("Create a unit (administrators)", request_schema="UnitCreate", response="Unit",
          status=201, errors=(400, 401, 403, 409, 422))
def create_unit():
    policy.require(caller(), "unit.create")  # a role that may not gets 403 whatever it sent
    data = json_body()
    db = get_session()
    unit = auth_service.create_unit(db, caller(), data.get("code"), data.get("name"), data.get("kind") or "sales")
    db.commit()
    return unit_json(unit), 201


@bp.patch("/units/<code>")
@document("Change a unit's name or its 企业微信/钉钉 group robot's address (administrators); an empty or null "
          "webhook_url removes the robot", request_schema="UnitPatch", response="Unit",
          errors=(400, 401, 403, 404, 422))
def update_unit(code: str):
    policy.require(caller(), "unit.manage")
    data = json_body()
    db = get_session()
    unit = auth_service.update_unit(db, caller(), code, {field: data[field] for field in auth_service.UNIT_FIELDS
                                                         if field in data})
    db.commit()
    return unit_json(unit)
