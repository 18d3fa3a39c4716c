"""The reports page: the archive with download links; the risk manager makes or remakes a report."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import periods
from ..auth import policy
from ..db import get_session
from ..forms import CsrfOnlyForm
from ..i18n import current_language
from ..web import add_nav, attempt, send_download
from . import service

bp = Blueprint("reports", __name__)

add_nav(70, "reports.archive", _l("Reports"), "report.read")
KIND_LABELS = {"monthly": _l("Monthly risk warning report"), "quarterly": _l("Quarterly incident review pack"),
               "annual": _l("Annual summary")}


@bp.route("/reports", methods=["GET", "POST"])
@login_required
def archive():
    """Every archived report; a form to make one now."""
    db = get_session()
    policy.require(current_user, "report.read")
    if request.method == "POST":
        policy.require(current_user, "report.create")
        if CsrfOnlyForm().validate_on_submit():
            kind, period = request.form.get("kind", ""), request.form.get("period", "")
            made = attempt(lambda: service.ensure(current_app._get_current_object(), kind, period, current_user,
                                                  regenerate=bool(request.form.get("regenerate")),
                                                  language=current_language()))
            if made is not None:
                row, built = made
                flash(_("Revision %(n)s of the report is ready.", n=row.revision) if built
                      else _("This report was already archived; tick “new revision” to make it again."), "info")
                return redirect(url_for("reports.archive"))
    rows = list(db.scalars(service.query(current_user)))
    today = periods.today()
    return render_template("reports/archive.html", rows=rows, kinds=KIND_LABELS,
                           can_create=policy.can(current_user, "report.create"),
                           suggestions={"monthly": service.previous_period("monthly", today),
                                        "quarterly": service.previous_period("quarterly", today),
                                        "annual": service.previous_period("annual", today)})


@bp.get("/reports/<int:report_id>.pdf")
@login_required
def download(report_id: int):
    row, path = service.file_of(get_session(), current_user, report_id)
    return send_download(path, row.filename, "application/pdf")
