"""The project page's notices section (效能监察通知书), the notice PDF and the filing form PDF (立项呈报表)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..auth import policy
from ..auth.service import list_units
from ..db import get_session
from ..forms import choices_with_prompt
from ..web import attempt
from . import notices, service
from .forms import NoticeForm
from .documents import send_pdf
from .notice_documents import filing_form_pdf, notice_pdf
from .views import ACTION_LABELS, project_page, project_section

bp = Blueprint("notices", __name__)

# The project's timeline names the history entry issue_notice records.
ACTION_LABELS["notice"] = _l("Supervision notice issued")

SECTION = "supervision/_notices.html"


def notice_form(db, **kwargs) -> NoticeForm:
    """The notice form with the units to address (a fresh one: formdata=None)."""
    form = NoticeForm(prefix="notice", **kwargs)
    form.recipient_unit.choices = choices_with_prompt((u.code, f"{u.code} {u.name}") for u in list_units(db))
    return form


@project_section(20, SECTION)
def provide(db, user, project, form):
    """The notices USER may read and, for the inspector while the project is filed and open, the form."""
    may_issue = notices.may_issue(user, project)
    if may_issue and form is None:
        form = notice_form(db, formdata=None)
    return {"notices": notices.visible_notices(user, project), "form": form if may_issue else None}


@bp.post("/supervision/<int:item_id>/notices")
@login_required
def notice_new(item_id: int):
    """Issue a notice from the project page; a refused one redraws the page with what was typed."""
    db = get_session()
    project = service.get_project(db, current_user, item_id)
    policy.require(current_user, "supervision.manage", project)
    form = notice_form(db)
    if form.validate_on_submit():
        notice = attempt(lambda: notices.issue_notice(db, current_user, project.id, form.data_for_service()), form)
        if notice is not None:
            flash(_("Notice %(number)s issued.", number=notice.number), "info")
            return redirect(url_for("supervision.project_detail", item_id=project.id, _anchor="notices"))
        project = service.get_project(db, current_user, item_id)
    return project_page(db, project, refused=(SECTION, form), status=422)


@bp.get("/supervision/notices/<int:notice_id>.pdf")
@login_required
def notice_download(notice_id: int):
    notice = notices.get_notice(get_session(), current_user, notice_id)
    return send_pdf(notice_pdf(notice), f"supervision-notice-{notice.id}.pdf")


@bp.get("/supervision/<int:item_id>/filing.pdf")
@login_required
def filing_form(item_id: int):
    db = get_session()
    project = service.get_project(db, current_user, item_id)
    return send_pdf(filing_form_pdf(db, project), f"filing-form-{project.code}.pdf")
