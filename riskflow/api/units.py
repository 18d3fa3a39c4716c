"""Units through the API."""
from __future__ import annotations

from sqlalchemy import select

from ..auth import policy
from ..auth import service as auth_service
from ..auth.models import Unit
from ..db import get_session
from .core import bp, caller, document, json_body, paginate


def unit_json(unit: Unit) -> dict:
    return {"id": unit.id, "code": unit.code, "name": unit.name, "kind": unit.kind, "active": unit.active}


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
