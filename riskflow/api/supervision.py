"""Supervision projects and recommendations through the API."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l

from .. import attachments, values
from ..db import get_session
from ..errors import FieldErrors
from ..supervision import editing, service
from ..supervision.serialize import project_json, recommendation_json
from ..web import send_download
from .core import bp, caller, document, json_body, paginate
from .schemas import ID, TEXT_PARAM, UNIT_CODE, YEAR_PARAM
from .transitions import register_kind


@bp.get("/supervision-projects")
@document("Supervision projects (filters year, state)", response="Project", paged=True, errors=(401, 422),
          params=(("year", False, YEAR_PARAM), ("state", False, TEXT_PARAM)))
def list_projects():
    db = get_session()
    year = request.args.get("year")  # checked against the note's schema already
    stmt = service.project_query(caller(), year=values.whole(year) if year else None,
                                 state=request.args.get("state") or None)
    return paginate(db, stmt, lambda p: project_json(db, p, caller()))


@bp.post("/supervision-projects")
@document("File a project in draft", request_schema="ProjectCreate", response="Project", status=201,
          errors=(400, 401, 403, 422))
def create_project():
    db = get_session()
    project = service.create_project(db, caller(), json_body())
    db.commit()
    return project_json(db, project, caller()), 201


@bp.get("/supervision-projects/<int:project_id>")
@document("One project", response="Project", errors=(401, 404))
def get_project(project_id: int):
    db = get_session()
    return project_json(db, service.get_project(db, caller(), project_id), caller())


@bp.patch("/supervision-projects/<int:project_id>")
@document("Edit a project's filing form until it is closed or cancelled; with the version read last, a stale one "
          "gets 409", request_schema="ProjectPatch", response="Project", errors=(400, 401, 403, 404, 409, 422))
def patch_project(project_id: int):
    db = get_session()
    project = editing.update_project(db, caller(), project_id, json_body())
    db.commit()
    return project_json(db, project, caller())


@bp.post("/supervision-projects/<int:project_id>/recommendations")
@document("Record a recommendation to a unit (due in 30 days by default)", request_schema="RecommendationCreate",
          response="Recommendation", status=201, errors=(400, 401, 403, 404, 409, 422))
def create_recommendation(project_id: int):
    db = get_session()
    rec = service.add_recommendation(db, caller(), project_id, json_body())
    db.commit()
    return recommendation_json(db, rec, caller()), 201


@bp.get("/recommendations")
@document("Recommendations (filters overdue, unit, state, project_id)", response="Recommendation", paged=True,
          errors=(401, 422), params=(("overdue", False, "boolean"), ("unit", False, UNIT_CODE),
                                     ("state", False, TEXT_PARAM), ("project_id", False, ID)))
def list_recommendations():
    db = get_session()
    args = request.args  # checked against the note's schemas already
    overdue, project_id = args.get("overdue") or None, args.get("project_id") or None
    stmt = service.recommendation_query(
        caller(), overdue=None if overdue is None else overdue in ("true", "1"), unit=args.get("unit") or None,
        state=args.get("state") or None, project_id=values.whole(project_id) if project_id else None)
    return paginate(db, stmt, lambda r: recommendation_json(db, r, caller()))


@bp.get("/recommendations/<int:rec_id>")
@document("One recommendation", response="Recommendation", errors=(401, 404))
def get_recommendation(rec_id: int):
    db = get_session()
    return recommendation_json(db, service.get_recommendation(db, caller(), rec_id), caller())


@bp.patch("/recommendations/<int:rec_id>")
@document("Edit a recommendation until its unit accepts it; with the version read last, a stale one gets 409",
          request_schema="RecommendationPatch", response="Recommendation", errors=(400, 401, 403, 404, 409, 422))
def patch_recommendation(rec_id: int):
    db = get_session()
    rec = editing.update_recommendation(db, caller(), rec_id, json_body())
    db.commit()
    return recommendation_json(db, rec, caller())


register_kind("supervision-projects", service.get_project, project_json)
register_kind("recommendations", service.get_recommendation, recommendation_json)


def attach(entity: str, item_id: int):
    """Keep the multipart field 'file' as evidence on ENTITY's item ITEM_ID (policy `ENTITY.attach`)."""
    upload = request.files.get("file")
    if upload is None:
        errors = FieldErrors()
        errors.add("file", _l("Send the file as multipart form field 'file'."))
        errors.raise_if_any(_l("No file."))
    db = get_session()
    attachment = attachments.add(db, caller(), entity, item_id, upload.filename or "", upload.read(),
                                 f"{entity}.attach")
    db.commit()
    return attachment_json(attachment), 201


def attachment_json(a) -> dict:
    return {"id": a.id, "filename": a.filename, "size": a.size, "content_type": a.content_type,
            "sha256": a.sha256, "download_url": f"/api/v1/attachments/{a.id}"}


@bp.post("/supervision-projects/<int:project_id>/attachments")
@document("Attach evidence to a project (multipart field 'file')", response="Attachment", status=201,
          errors=(400, 401, 403, 404, 413, 422))
def attach_to_project(project_id: int):
    return attach("supervision_project", project_id)


@bp.post("/recommendations/<int:rec_id>/attachments")
@document("Attach evidence to a recommendation (multipart field 'file')", response="Attachment", status=201,
          errors=(400, 401, 403, 404, 413, 422))
def attach_to_recommendation(rec_id: int):
    return attach("recommendation", rec_id)


@bp.get("/attachments/<int:attachment_id>")
@document("Download an evidence file", errors=(401, 404),
          media=tuple(sorted({content_type for content_type, _ in attachments.TYPES.values()})))
def download_attachment(attachment_id: int):
    attachment, path = attachments.open_for(get_session(), caller(), attachment_id)
    return send_download(path, attachment.filename, attachment.content_type)
