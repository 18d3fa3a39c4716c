"""A supervision project's direct economic benefits (直接经济效益) through the API."""
from __future__ import annotations

from ..db import get_session
from ..supervision import benefits
from ..supervision.labels import BENEFIT_KIND_LABELS
from ..supervision.service import get_project
from .core import bp, caller, document, json_body
from .supervision import attach


def benefit_json(benefit) -> dict:
    rec = benefit.recommendation
    return {"id": benefit.id, "project_id": benefit.project_id, "amount": float(benefit.amount), "kind": benefit.kind,
            "recommendation_id": rec.id if rec else None, "letter_no": rec.letter_no if rec else None,
            "description": benefit.description or "", "created_at": benefit.created_at.isoformat(),
            "created_by": benefit.created_by.username if benefit.created_by else None}


@bp.get("/supervision-projects/<int:project_id>/benefits")
@document("A project's benefits the caller may see, their total and the total of each kind "
          f"({', '.join(BENEFIT_KIND_LABELS)})", response="BenefitList", errors=(401, 404))
def list_benefits(project_id: int):
    db = get_session()
    project = get_project(db, caller(), project_id)
    rows = benefits.visible_of_project(db, caller(), project)
    total, by_kind = benefits.totals(rows)
    return {"items": [benefit_json(b) for b in rows], "total": float(total),
            "by_kind": {kind: float(amount) for kind, amount in by_kind.items()}}


@bp.post("/supervision-projects/<int:project_id>/benefits")
@document("Record a benefit in yuan (an inspector, while the project is open); the project's economic_benefit "
          "is the sum of its benefits", request_schema="BenefitCreate", response="Benefit", status=201,
          errors=(400, 401, 403, 404, 409, 422))
def create_benefit(project_id: int):
    db = get_session()
    benefit = benefits.add_benefit(db, caller(), project_id, json_body())
    db.commit()
    return benefit_json(benefit), 201


@bp.delete("/benefits/<int:benefit_id>")
@document("Remove a benefit recorded by mistake (an inspector, while the project is open); the project's history "
          "keeps it", status=204, errors=(401, 403, 404, 409))
def delete_benefit(benefit_id: int):
    db = get_session()
    benefits.delete_benefit(db, caller(), benefit_id)
    db.commit()
    return "", 204


@bp.post("/benefits/<int:benefit_id>/attachments")
@document("Attach evidence to a benefit (multipart field 'file')", response="Attachment", status=201,
          errors=(400, 401, 403, 404, 409, 413, 422))
def attach_to_benefit(benefit_id: int):
    return attach("supervision_benefit", benefit_id)
