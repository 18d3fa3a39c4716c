"""Risks and their monthly grades through the API."""
from __future__ import annotations

from flask import request

from ..db import get_session
from ..register import assessments, risks
from ..register.serialize import assessment_json, risk_json
from ..supervision import risklinks
from .core import bp, caller, document, json_body, paginate
from .schemas import CATEGORY_CODE, GRADE_PARAM, LEVEL_PARAM, PERIOD, TEXT_PARAM, UNIT_CODE

RISK_FILTERS = (("unit", False, UNIT_CODE), ("category", False, CATEGORY_CODE), ("level", False, LEVEL_PARAM),
                ("period", False, PERIOD), ("q", False, TEXT_PARAM),
                ("status", False, {"type": "string", "enum": ["active", "retired"]}),
                ("likelihood", False, GRADE_PARAM), ("impact", False, GRADE_PARAM))


@bp.get("/risks")
@document("List risks (filters unit, category, level, period, q, status, likelihood, impact)", response="Risk", paged=True,
          errors=(401, 422), params=RISK_FILTERS)
def list_risks():
    db = get_session()
    stmt = risks.query(caller(), **risks.check_filters(request.args))

    def serialize_page(rows):
        latest = risks.latest_assessments(db, [r.id for r in rows], risks_loaded=True)
        return [risk_json(r, latest.get(r.id)) for r in rows]

    return paginate(db, stmt, serialize_page=serialize_page)


@bp.post("/risks")
@document("Add a risk (code generated when absent)", request_schema="RiskCreate", response="Risk", status=201,
          errors=(400, 401, 403, 409, 422))
def create_risk():
    db = get_session()
    risk = risks.create(db, caller(), json_body())
    db.commit()
    return risk_json(risk, None), 201


@bp.get("/risks/<int:risk_id>")
@document("One risk with its newest grade", response="Risk", errors=(401, 404))
def get_risk(risk_id: int):
    db = get_session()
    risk = risks.get(db, caller(), risk_id)
    # 监察关联: the projects and recommendations naming it that the caller may see.
    return {**risk_json(risk, risks.latest_assessments(db, [risk.id]).get(risk.id)),
            "supervision": risklinks.links_json(risklinks.links_of_risk(db, caller(), risk))}


@bp.patch("/risks/<int:risk_id>")
@document("Edit a risk; send the version read last (stale: 409)", request_schema="RiskPatch", response="Risk",
          errors=(400, 401, 403, 404, 409, 422))
def patch_risk(risk_id: int):
    db = get_session()
    risk = risks.update(db, caller(), risk_id, json_body())
    db.commit()
    return risk_json(risk, risks.latest_assessments(db, [risk.id]).get(risk.id))


@bp.get("/risks/<int:risk_id>/assessments")
@document("A risk's grades, oldest first", response="AssessmentList", errors=(401, 404))
def list_assessments(risk_id: int):
    db = get_session()
    return {"items": [assessment_json(a) for a in assessments.list_for(db, caller(), risk_id)]}


@bp.post("/risks/<int:risk_id>/assessments")
@document("Grade a risk for a period (second grade for the period: 409)", request_schema="AssessmentCreate",
          response="Assessment", status=201, errors=(400, 401, 403, 404, 409, 422))
def create_assessment(risk_id: int):
    db = get_session()
    assessment = assessments.record(db, caller(), risk_id, json_body())
    db.commit()
    return assessment_json(assessment), 201


@bp.put("/risks/<int:risk_id>/assessments/<period:period>")
@document("Revise a period's grade; with the version read last, a stale one gets 409", request_schema="AssessmentRevise",
          response="Assessment",
          errors=(400, 401, 403, 404, 409, 422))
def revise_assessment(risk_id: int, period: str):
    db = get_session()
    assessment = assessments.revise(db, caller(), risk_id, period, json_body())
    db.commit()
    return assessment_json(assessment)
