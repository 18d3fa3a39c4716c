"""The mid-year inspections of supervision projects through the API."""
from __future__ import annotations

from ..db import get_session
from ..supervision import inspections, service
from ..supervision.serialize import inspection_json
from .core import bp, caller, document, json_body


@bp.post("/supervision-projects/<int:project_id>/inspections")
@document("Record a project's mid-year inspection (while it is monitored or followed up)",
          request_schema="InspectionCreate", response="Inspection", status=201, errors=(400, 401, 403, 404, 409, 422))
def create_inspection(project_id: int):
    db = get_session()
    inspection = inspections.record_inspection(db, caller(), project_id, json_body())
    db.commit()
    return inspection_json(inspection, caller()), 201


@bp.get("/supervision-projects/<int:project_id>/inspections")
@document("A project's mid-year inspections, each with the recommendations raised from it", response="Inspections",
          errors=(401, 404))
def list_inspections(project_id: int):
    db = get_session()
    project = service.get_project(db, caller(), project_id)
    return {"items": [inspection_json(i, caller()) for i in inspections.of_project(db, project.id)]}


@bp.patch("/inspections/<int:inspection_id>")
@document("Correct an inspection; with the version read last, a stale one gets 409", request_schema="InspectionPatch",
          response="Inspection", errors=(400, 401, 403, 404, 409, 422))
def patch_inspection(inspection_id: int):
    db = get_session()
    inspection = inspections.update_inspection(db, caller(), inspection_id, json_body())
    db.commit()
    return inspection_json(inspection, caller())
