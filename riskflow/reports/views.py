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
from . import service
from .forms import ReportForm
from .service import KIND_LABELS

bp = Blueprint("reports", __name__)

add_nav(70, "reports.archive", _l("Reports"), "report.read")


@bp.route("/reports", methods=["GET", "POST"])
@login_required
def archive():
    """Every archived report; a form to make one now."""
    db = get_session()
    policy.require(current_user, "report.read")
    today = periods.today()
    form = ReportForm()
    if request.method == "POST":
        policy.require(current_user, "report.create")
        if form.validate_on_submit():
            made = attempt(lambda: service.ensure(current_app._get_current_object(), form.kind.data, form.period.data,
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
                           can_create=policy.can(current_user, "report.create"),
                           suggestions={"monthly": service.previous_period("monthly", today),
                                        "quarterly": service.previous_period("quarterly", today),
                                        "annual": service.previous_period("annual", today)})


@bp.get("/reports/<int:report_id>.pdf")
@login_required
def download(report_id: int):
    row, path = service.file_of(get_session(), current_user, report_id)
    return send_download(path, row.filename, "application/pdf")
