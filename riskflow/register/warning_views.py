"""The warnings page: a month's warnings, their responses and how far last month's got."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import periods
from ..auth import policy
from ..db import get_session
from ..web import attempt, flash_form_errors, paged, safe_next
from . import warnings
from .grading import LEVELS
from .forms import WarningForm
from .models import WARNING_STATUSES
from .views import visible_units
from .board import _period_or_latest, bp


@bp.route("/warnings", methods=["GET"])
@login_required
def warning_list():
    """A month's warnings with their responses, and how far last month's got: filtered, 50 a page each."""
    return _warnings_page()


def _warnings_page(posted: dict | None = None):
    """The warnings page for the request's month, filters and pages; POSTED holds the forms (by warning id)
    that were refused, so they show what the user typed."""
    db = get_session()
    period = _period_or_latest(db)
    units = visible_units(db)
    filters = {"unit": request.args.get("unit", ""), "level": request.args.get("level", ""),
               "status": request.args.get("status", "")}
    unit = next((u for u in units if u.code == filters["unit"]), None)
    if (filters["unit"] and unit is None) or (filters["level"] and filters["level"] not in LEVELS) or \
            (filters["status"] and filters["status"] not in WARNING_STATUSES):
        flash(_("Unknown filter value; showing every warning."), "error")
        filters, unit = {"unit": "", "level": "", "status": ""}, None
    lists = {}
    for key, month, page_arg in (("current", period, "page"), ("previous", periods.previous(period), "prev_page")):
        stmt = warnings.ranked(current_user, month, unit_id=unit.id if unit else None,
                               level=filters["level"] or None, status=filters["status"] or None)
        lists[key] = paged(db, stmt, page_arg)
    forms = {}
    for w in lists["current"].items + lists["previous"].items:
        if posted and w.id in posted:
            forms[w.id] = posted[w.id]
        elif policy.can(current_user, "warning.update", w):
            form = WarningForm(prefix=f"w{w.id}", formdata=None)
            form.response.data, form.progress.data, form.status.data = w.response, w.progress, w.status
            form.version.data = str(w.version)
            forms[w.id] = form
    args = {"period": period, **{k: v for k, v in filters.items() if v}}
    return render_template("register/warnings.html", period=period, lists=lists, forms=forms,
                           unit_options=[(u.code, u.name) for u in units], filters=filters,
                           args=args, previous_period=periods.previous(period),
                           following=periods.shift(period, 1))


@bp.post("/warnings/<int:warning_id>")
@login_required
def warning_update(warning_id: int):
    """Save a warning's response and progress. The form posts to the page's own query string, so a refused
    response (bad input, or a warning changed since the page was drawn) comes back on that page as typed."""
    db = get_session()
    form = WarningForm(prefix=f"w{warning_id}")
    if not form.validate_on_submit():
        flash_form_errors(form)  # the fields of the row are too small to carry their reasons
        return _warnings_page({warning_id: form})
    warning = attempt(lambda: warnings.update(db, current_user, warning_id, {
        "response": form.response.data or "", "progress": form.progress.data, "status": form.status.data,
        "version": form.version_read()}), form)
    if warning is None:
        return _warnings_page({warning_id: form})
    flash(_("Response to the warning on %(code)s saved.", code=warning.risk.code), "info")
    return redirect(safe_next(request.form.get("back"), url_for("board.warning_list")))
