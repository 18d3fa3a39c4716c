"""The report archive through the API."""
from __future__ import annotations

from flask import current_app, request

from .. import periods
from ..auth import policy
from ..db import get_session
from ..i18n import current_language
from ..reports import service as reports
from ..reports.models import KINDS
from .core import bp, caller, document, json_body, paginate
from ..web import send_download
from .schemas import matching


@bp.post("/reports")
@document("Make a report (200 with the archived one unless regenerate is true)", request_schema="ReportCreate",
          response="Report", status=(201, 200), errors=(400, 401, 403, 409, 422))
def create_report():
    policy.require(caller(), "report.create")  # a role that may not gets 403 whatever it sent
    data = json_body()
    row, built = reports.ensure(current_app._get_current_object(), data.get("kind"), data.get("period"), caller(),
                                regenerate=data.get("regenerate") is True,
                                language=data.get("language") if data.get("language") in ("zh_CN", "en")
                                else current_language())
    return reports.report_json(row), 201 if built else 200


@bp.get("/reports")
@document("Archived reports, newest first (filters kind, period)", response="Report", paged=True,
          errors=(401, 403), params=(("kind", False, {"type": "string", "enum": list(KINDS)}),
                                     ("period", False, matching(periods.ANY_PERIOD_PATTERN))))
def list_reports():
    db = get_session()
    stmt = reports.query(caller(), request.args.get("kind") or None, request.args.get("period") or None)
    return paginate(db, stmt, reports.report_json)


@bp.get("/reports/<int:report_id>/download")
@document("The report's PDF", errors=(401, 403, 404), media=("application/pdf",))
def download_report(report_id: int):
    row, path = reports.file_of(get_session(), caller(), report_id)
    return send_download(path, row.filename, "application/pdf")
