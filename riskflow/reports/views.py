"""The reports page: the archive with download links; the risk manager makes or remakes a report."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import periods
from ..auth import policy
from ..db import get_session
from ..i18n import current_language
from ..web import add_nav, attempt, send_download
from ..errors import NotFound
from . import review, service, units
from .forms import CommentaryForm, IssueForm, ReportForm
from .models import Report
from .render import month_title
from .service import KIND_LABELS

bp = Blueprint("reports", __name__)

add_nav(70, "reports.archive", _l("Reports"), "report.read_unit")  # a unit's roles: their unit versions


@bp.route("/reports", methods=["GET", "POST"])
@login_required
def archive():
    """Every archived report; a form to make one now."""
    db = get_session()
    if not policy.can(current_user, "report.read"):
        if request.method == "POST":
            policy.require(current_user, "report.create")  # 403: a unit's roles make no report
        return _unit_versions(db)
    today = periods.today()
    form = ReportForm()
    if request.method == "POST":
        policy.require(current_user, "report.create")
        if form.validate_on_submit():
            made = attempt(lambda: review.make(current_app._get_current_object(), form.kind.data, form.period.data,
                                               current_user, regenerate=form.regenerate.data,
                                               language=current_language()), form)
            if made is not None:
                row, built = made
                flash(_("Revision %(n)s of the report is ready.", n=row.revision) if built
                      else _("This report was already archived; tick “new revision” to make it again."), "info")
                return redirect(url_for("reports.archive"))
    else:
        form.period.data = service.previous_period("monthly", today)
    rows = list(db.scalars(service.query(current_user)))
    return render_template("reports/archive.html", rows=rows, kinds=KIND_LABELS, form=form,
                           units=units.units_for(db, current_user),
                           can_create=policy.can(current_user, "report.create"),
                           can_issue=policy.can(current_user, "report.issue"),
                           suggestions={"monthly": service.previous_period("monthly", today),
                                        "quarterly": service.previous_period("quarterly", today),
                                        "annual": service.previous_period("annual", today)})


def _unit_versions(db):
    """The reports page of a unit's roles: the issued months, each with its unit version (本单位版)."""
    policy.require(current_user, "report.read_unit")
    return render_template("reports/units.html", rows=list(db.scalars(units.query(current_user))),
                           units=units.units_for(db, current_user), month_title=month_title)


@bp.get("/reports/<int:report_id>.pdf")
@login_required
def download(report_id: int):
    """The report's PDF; with ?unit=CODE the unit version of an issued monthly report."""
    if request.args.get("unit"):
        return _unit_download(report_id, "pdf", "application/pdf")
    row, path = service.file_of(get_session(), current_user, report_id)
    return send_download(path, service.download_name(row), "application/pdf")


@bp.get("/reports/<int:report_id>.docx")
@login_required
def download_docx(report_id: int):
    if request.args.get("unit"):
        return _unit_download(report_id, "docx", service.DOCX_TYPE)
    row, path = service.file_of(get_session(), current_user, report_id, "docx")
    return send_download(path, service.download_name(row, "docx"), service.DOCX_TYPE)


def _unit_download(report_id: int, form: str, media: str):
    name, path = units.file_of(current_app._get_current_object(), get_session(), current_user, report_id,
                               request.args["unit"], form)
    return send_download(path, name, media)


def _report(report_id: int) -> Report:
    row = get_session().get(Report, report_id)
    if row is None or row.state != "ready":
        raise NotFound(_l("Not found."))
    return row


@bp.route("/reports/<int:report_id>", methods=["GET", "POST"])
@login_required
def review_page(report_id: int):
    """A draft under review: the risk manager writes the analysis (风险分析与管理建议), then issues it."""
    policy.require(current_user, "report.issue")
    row = _report(report_id)
    form = CommentaryForm()
    if request.method == "POST":
        if form.validate_on_submit():
            saved = attempt(lambda: review.comment(current_app._get_current_object(), current_user, report_id,
                                                   form.commentary.data or ""), form)
            if saved is not None:
                flash(_("The analysis is saved; the PDF and the Word document now carry it."), "info")
                return redirect(url_for("reports.review_page", report_id=report_id))
        row = _report(report_id)
        return render_template("reports/review.html", row=row, form=form, kinds=KIND_LABELS)
    form.commentary.data = row.commentary
    return render_template("reports/review.html", row=row, form=form, kinds=KIND_LABELS)


@bp.route("/reports/<int:report_id>/issue", methods=["GET", "POST"])
@login_required
def issue(report_id: int):
    """Confirm issuing (签发): only then does the report go out to its subscribers."""
    policy.require(current_user, "report.issue")
    row = _report(report_id)
    form = IssueForm()
    if request.method == "POST" and form.validate_on_submit():
        done = attempt(lambda: review.issue(current_app._get_current_object(), current_user, report_id))
        if done is not None:
            flash(_("The report is issued and mailed to its subscribers."), "info")
        return redirect(url_for("reports.archive"))
    count = len(review.subscribers(get_session()))
    return render_template("reports/issue.html", row=row, form=form, kinds=KIND_LABELS, count=count)
