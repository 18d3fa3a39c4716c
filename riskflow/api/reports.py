"""The report archive through the API."""
from __future__ import annotations

from flask import current_app, request

from .. import periods
from ..auth import policy
from ..db import get_session
from ..i18n import current_language
from ..reports import review, units
from ..reports import service as reports
from ..reports.models import ALL_KINDS
from .core import bp, caller, document, json_body, paginate
from ..web import send_download
from .schemas import UNIT_CODE, matching


@bp.post("/reports")
@document("Make a report (200 with the archived one unless regenerate is true)", request_schema="ReportCreate",
          response="Report", status=(201, 200), errors=(400, 401, 403, 409, 422))
def create_report():
    policy.require(caller(), "report.create")  # a role that may not gets 403 whatever it sent
    data = json_body()
    row, built = review.make(current_app._get_current_object(), data.get("kind"), data.get("period"), caller(),
                             regenerate=data.get("regenerate") is True,
                             language=data.get("language") if data.get("language") in ("zh_CN", "en")
                             else current_language())
    return reports.report_json(row), 201 if built else 200


@bp.get("/reports")
@document("Archived reports, newest first (filters kind, period)", response="Report", paged=True,
          errors=(401, 403), params=(("kind", False, {"type": "string", "enum": list(ALL_KINDS)}),
                                     ("period", False, matching(periods.ANY_PERIOD_PATTERN))))
def list_reports():
    db = get_session()
    stmt = reports.query(caller(), request.args.get("kind") or None, request.args.get("period") or None)
    return paginate(db, stmt, reports.report_json)


@bp.patch("/reports/<int:report_id>")
@document("The risk manager's analysis on a draft; its PDF and Word document are rebuilt with it (409 once "
          "issued)", request_schema="ReportPatch", response="Report", errors=(400, 401, 403, 404, 409, 422))
def patch_report(report_id: int):
    policy.require(caller(), "report.issue")
    data = json_body()
    row = review.comment(current_app._get_current_object(), caller(), report_id, data.get("commentary"))
    return reports.report_json(row)


@bp.post("/reports/<int:report_id>/issue")
@document("Issue a draft (签发): only then is it mailed to its subscribers; 409 when already issued or not the "
          "newest revision", response="Report", errors=(401, 403, 404, 409))
def issue_report(report_id: int):
    row = review.issue(current_app._get_current_object(), caller(), report_id)
    return reports.report_json(row)


@bp.get("/reports/<int:report_id>/download")
@document("The report's PDF, or with format=docx its Word document; with unit=CODE the unit version (本单位版) "
          "of an issued monthly report (a unit's roles: their own unit only, 404 for another or a draft)",
          errors=(401, 403, 404), media=("application/pdf", reports.DOCX_TYPE),
          params=(("format", False, {"type": "string", "enum": ["pdf", "docx"]}), ("unit", False, UNIT_CODE)))
def download_report(report_id: int):
    form = "docx" if request.args.get("format") == "docx" else "pdf"
    media = reports.DOCX_TYPE if form == "docx" else "application/pdf"
    if request.args.get("unit"):
        name, path = units.file_of(current_app._get_current_object(), get_session(), caller(), report_id,
                                   request.args["unit"], form)
        return send_download(path, name, media)
    row, path = reports.file_of(get_session(), caller(), report_id, form)
    return send_download(path, reports.download_name(row, form), media)
