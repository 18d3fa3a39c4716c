"""The admin's list of project kinds and the year's supervision figures through the API."""
from __future__ import annotations

from flask import request

from .. import periods, values
from ..auth import policy
from ..db import get_session
from ..supervision import kinds, summary
from ..supervision.models import SupervisionKind
from .core import bp, caller, document, json_body, paginate
from .schemas import YEAR_PARAM


def kind_json(kind: SupervisionKind, used: set[str]) -> dict:
    return {"code": kind.code, "label": kinds.label_of(kind), "label_zh": kind.label_zh, "label_en": kind.label_en,
            "position": kind.position, "active": kind.active, "used": kind.code in used}


@bp.get("/supervision-kinds")
@document("The project kinds in their order, retired ones too (`active` false); `label` in the reader's language",
          response="SupervisionKind", paged=True, errors=(401, 422))
def list_kinds():
    policy.require(caller(), "supervision_kind.read")
    db = get_session()
    used = kinds.used(db)
    return paginate(db, kinds.listed_query(active_only=False), lambda kind: kind_json(kind, used))


@bp.post("/supervision-kinds")
@document("Add a project kind (administrators): code `[a-z][a-z0-9_]{1,29}`, both names",
          request_schema="SupervisionKindCreate", response="SupervisionKind", status=201,
          errors=(400, 401, 403, 409, 422))
def create_kind():
    policy.require(caller(), "supervision_kind.manage")
    db = get_session()
    kind = kinds.create_kind(db, caller(), json_body())
    db.commit()
    return kind_json(kind, set()), 201


@bp.patch("/supervision-kinds/<code>")
@document("Rename, move, retire (`active` false) or restore a project kind (administrators); kinds are never "
          "deleted", request_schema="SupervisionKindPatch", response="SupervisionKind",
          errors=(400, 401, 403, 404, 422))
def patch_kind(code: str):
    policy.require(caller(), "supervision_kind.manage")
    db = get_session()
    kind = kinds.update_kind(db, caller(), code, json_body())
    db.commit()
    return kind_json(kind, kinds.used(db))


@bp.get("/supervision-summary")
@document("The year's supervision figures (this year by default); a unit's roles get their own unit's",
          response="SupervisionSummary", errors=(401, 422), params=(("year", False, YEAR_PARAM),))
def supervision_summary():
    year = request.args.get("year")  # checked against the note's schema already
    policy.require(caller(), "supervision_project.read")
    figures = summary.year_figures(get_session(), caller(),
                                   values.whole(year) if year else periods.today().year)
    return summary.as_json(figures)
