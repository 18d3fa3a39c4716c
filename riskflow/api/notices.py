"""Supervision notices (效能监察通知书) and the filing form PDF through the API."""
from __future__ import annotations

import io

from ..db import get_session
from ..supervision import notices, service
from ..supervision.models import SupervisionNotice
from ..supervision.notice_documents import filing_form_pdf, notice_pdf
from ..web import send_download
from .core import bp, caller, document, json_body


def notice_json(notice: SupervisionNotice) -> dict:
    return {"id": notice.id, "number": notice.number, "download_url": f"/api/v1/notices/{notice.id}/download",
            "project_id": notice.project_id, "recipient_unit": notice.recipient_unit.code, "subject": notice.subject,
            "content": notice.content, "issued_on": notice.issued_on.isoformat()}


@bp.post("/supervision-projects/<int:project_id>/notices")
@document("Issue a 效能监察通知书 to a unit (numbered 监通〔YYYY〕N号) while the project is filed and open",
          request_schema="NoticeCreate", response="Notice", status=201, errors=(400, 401, 403, 404, 409, 422))
def create_notice(project_id: int):
    db = get_session()
    notice = notices.issue_notice(db, caller(), project_id, json_body())
    db.commit()
    return notice_json(notice), 201


@bp.get("/supervision-projects/<int:project_id>/notices")
@document("A project's notices (a unit's roles: those addressed to their unit)", response="NoticeList",
          errors=(401, 404))
def list_notices(project_id: int):
    db = get_session()
    project = service.get_project(db, caller(), project_id)
    return {"items": [notice_json(n) for n in notices.visible_notices(caller(), project)]}


@bp.get("/notices/<int:notice_id>/download")
@document("A notice as PDF", errors=(401, 404), media=("application/pdf",))
def download_notice(notice_id: int):
    notice = notices.get_notice(get_session(), caller(), notice_id)
    return send_download(io.BytesIO(notice_pdf(notice)), f"supervision-notice-{notice.id}.pdf", "application/pdf")


@bp.get("/supervision-projects/<int:project_id>/filing.pdf")
@document("The project's filing form (立项呈报表) as PDF", errors=(401, 404), media=("application/pdf",))
def download_filing_form(project_id: int):
    db = get_session()
    project = service.get_project(db, caller(), project_id)
    return send_download(io.BytesIO(filing_form_pdf(db, project)), f"filing-form-{project.code}.pdf",
                         "application/pdf")
