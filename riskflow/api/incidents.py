"""The risk event library through the API."""
from __future__ import annotations

from flask import request

from ..db import get_session
from ..incidents import cases, editing, service
from ..incidents.serialize import incident_json
from .core import bp, caller, document, json_body, paginate
from .schemas import AMOUNT_PARAM, ID, INCIDENT_KIND, LOSS_TYPE, QUARTER, TEXT_PARAM, UNIT_CODE
from .transitions import register_kind

FILTERS = (("quarter", False, QUARTER), ("unit", False, UNIT_CODE), ("kind", False, INCIDENT_KIND),
           ("risk_id", False, ID), ("loss_type", False, {**LOSS_TYPE, "type": "string"}),
           ("min_loss", False, AMOUNT_PARAM), ("max_loss", False, AMOUNT_PARAM), ("q", False, TEXT_PARAM),
           ("state", False, TEXT_PARAM))


@bp.get("/incidents")
@document("Incidents and near misses (filters quarter, unit, kind, risk_id, loss_type, min_loss, max_loss, q, "
          "state)", response="Incident",
          paged=True, errors=(401, 422), params=FILTERS)
def list_incidents():
    db = get_session()
    stmt = service.query(caller(), **service.check_filters(request.args))
    return paginate(db, stmt, lambda i: incident_json(db, i, caller()))


@bp.post("/incidents")
@document("Record an incident or near miss; the quarter follows the date it occurred",
          request_schema="IncidentCreate", response="Incident", status=201, errors=(400, 401, 403, 422))
def create_incident():
    db = get_session()
    incident = service.create(db, caller(), json_body())
    db.commit()
    return incident_json(db, incident, caller()), 201


@bp.get("/incidents/<int:incident_id>")
@document("One incident", response="Incident", errors=(401, 404))
def get_incident(incident_id: int):
    db = get_session()
    return incident_json(db, service.get(db, caller(), incident_id), caller())


@bp.patch("/incidents/<int:incident_id>")
@document("Edit an incident while it is reported (its recoveries until it is closed); with the version read "
          "last, a stale one gets 409", request_schema="IncidentPatch", response="Incident",
          errors=(400, 401, 403, 404, 409, 422))
def patch_incident(incident_id: int):
    db = get_session()
    incident = editing.update(db, caller(), incident_id, json_body())
    db.commit()
    return incident_json(db, incident, caller())


@bp.post("/incidents/<int:incident_id>/warning-case")
@document("Mark a reviewed incident as a warning case (警示案例) shared with every unit, or take the mark off "
          "(the risk manager); the first mark tells every unit", request_schema="WarningCaseSet",
          response="Incident", errors=(400, 401, 403, 404, 409, 422))
def set_warning_case(incident_id: int):
    db = get_session()
    cases.markable(db, caller(), incident_id)  # who may, on which item, before the body is read
    incident = cases.mark(db, caller(), incident_id, json_body()["warning_case"])
    db.commit()
    return incident_json(db, incident, caller())


@bp.get("/warning-cases")
@document("The warning cases every unit may read, newest first: each one's shared fields only",
          response="WarningCase", paged=True, errors=(401, 422))
def list_warning_cases():
    db = get_session()
    return paginate(db, cases.query(caller()), cases.shared_json)


register_kind("incidents", service.get, incident_json)
