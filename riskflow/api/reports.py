"""The report archive through the API."""
from __future__ import annotations

from flask import current_app, request, send_file

from ..db import get_session
from ..i18n import current_language
from ..reports import service as reports
from .core import bp, caller, document, json_body, paginate


@bp.post("/reports")
@document("Make a report (200 with the archived one unless regenerate is true)", request_schema="ReportCreate",
          response="Report", status=(201, 200), errors=(400, 401, 403, 409, 422))
def create_report():
    data = json_body()
    row, built = reports.ensure(current_app._get_current_object(), data.get("kind"), data.get("period"), caller(),
                                regenerate=data.get("regenerate") is True,
                                language=data.get("language") if data.get("language") in ("zh_CN", "en")
                                else current_language())
    return reports.report_json(row), 201 if built else 200


@bp.get("/reports")
@document("Archived reports, newest first (filters kind, period)", response="Report", paged=True,
          errors=(401, 403), params=(("kind", False, "string"), ("period", False, "string")))
def list_reports():
    db = get_session()
    stmt = reports.query(caller(), request.args.get("kind") or None, request.args.get("period") or None)
    return paginate(db, stmt, reports.report_json)


@bp.get("/reports/<int:report_id>/download")
@document("The report's PDF", errors=(401, 403, 404))
def download_report(report_id: int):
    row, path = reports.file_of(get_session(), caller(), report_id)
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=row.filename)
