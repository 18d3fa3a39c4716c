"""The warnings page: a month's warnings, their responses and how far last month's got, answered in one save."""
from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import periods
from ..actions import counting
from ..actions import service as action_service
from ..auth import policy
from ..db import get_session
from ..errors import RiskflowError
from ..forms import CsrfOnlyForm
from ..indicators import figures
from ..indicators.labels import CAUSE_LABELS, COMPARED_LABELS
from ..web import paged, safe_next
from . import warnings
from .grading import LEVELS
from .forms import WarningForm
from .models import WARNING_STATUSES, RiskWarning
from .views import visible_units
from .board import _following, _period_or_latest, bp

# The `todo` filter: what the warnings wait for (the to-do list links here with it).
WAITING_LABELS = {"respond": _l("Without a response"), "confirm": _l("Reported complete, to confirm")}
ROW_FIELDS = ("response", "progress", "status", "cause", "explanation")
# Drawn only on an indicator's warning: a row posted without them does not change them.
INDICATOR_FIELDS = ("cause", "explanation")
ROW_KEY = re.compile(r"w(\d{1,12})-version")


@bp.route("/warnings", methods=["GET"])
@login_required
def warning_list():
    """A month's warnings with their responses, and how far last month's got: filtered, 50 a page each."""
    return _warnings_page()


@bp.post("/warnings")
@login_required
def warning_save():
    """Save every row of the page the user changed, all or none. The form posts to the page's own query
    string, so a refusal redraws the same filters and pages with what was typed, each bad row marked; a
    save goes back there, to the first row saved."""
    ids = sorted({int(m.group(1)) for key in request.form if (m := ROW_KEY.fullmatch(key))})
    return _save(ids)


@bp.post("/warnings/<int:warning_id>")
@login_required
def warning_update(warning_id: int):
    """Save one warning's response (the page before responses were saved together posted here)."""
    return _save([warning_id])


def _save(ids: list[int]):
    db = get_session()
    forms = {i: WarningForm(prefix=f"w{i}") for i in ids}
    touched = {i: f for i, f in forms.items() if not _untouched(f)}
    bad = {i for i, f in touched.items() if not f.validate()}
    saved = []
    if not bad:
        try:
            saved = warnings.update_many(db, current_user, {i: _answer(f) for i, f in touched.items()})
        except warnings.RowsRefused as exc:
            db.rollback()
            for i, refusal in exc.rows.items():
                _place(forms[i], refusal)
            bad = set(exc.rows)
        else:
            db.commit()
    if bad:
        return _warnings_page(forms, bad)
    if saved:
        flash(_("Responses saved: %(count)s.", count=len(saved)), "info")
    else:
        flash(_("Nothing was changed, so nothing was saved."), "info")
    back = safe_next(request.form.get("back"), url_for("board.warning_list"))
    return redirect(back + (f"#warning-{saved[0].id}" if saved else ""))


def _drawn(form: WarningForm, name: str) -> bool:
    """True when the page drew field NAME of the row (an indicator's cause and explanation are not always)."""
    return name not in INDICATOR_FIELDS or getattr(form, name).name in request.form


def _answer(form: WarningForm) -> dict:
    """What the row asks the service to record: the fields the page drew, and the version it read."""
    answer = {"response": form.response.data or "", "progress": form.progress.data, "status": form.status.data,
              "version": form.version_read()}
    if _drawn(form, "cause"):
        answer["cause"] = form.cause.data or None
    if _drawn(form, "explanation"):
        answer["explanation"] = form.explanation.data or ""
    return answer


def _untouched(form: WarningForm) -> bool:
    """True when the row comes back as the page drew it (its fingerprint matches): nothing to save."""
    typed = [request.form.get(getattr(form, name).name) for name in ROW_FIELDS]
    return bool(form.shown.data) and warnings.shown(*typed) == form.shown.data


def _place(form: WarningForm, refusal: RiskflowError) -> None:
    """Put a service's refusal on the row's fields; what no field shows (a stale row, a forbidden change)
    becomes the row's own message."""
    for name, messages in refusal.errors.items():
        if name in ROW_FIELDS:
            getattr(form, name).errors = list(getattr(form, name).errors or []) + [str(m) for m in messages]
    if not refusal.errors or set(refusal.errors) - set(ROW_FIELDS):
        form.row_error = str(refusal.message)


def _unit_options(units) -> list[tuple[str, str]]:
    """The unit filter's choices: the units the user sees, and for the company's roles the company-wide
    indicators' warnings."""
    options = [(u.code, u.name) for u in units]
    return options if policy.is_unit_scoped(current_user) else options + [(warnings.COMPANY_WIDE, _("Whole company"))]


def _warnings_page(posted: dict | None = None, bad=frozenset()):
    """The warnings page for the request's month, filters and pages; POSTED holds the rows (by warning id) as
    they were sent, BAD the ids of the refused ones."""
    db = get_session()
    period = _period_or_latest(db)
    units = visible_units(db)
    filters = {name: request.args.get(name, "") for name in ("unit", "level", "status", "todo")}
    unit = next((u for u in units if u.code == filters["unit"]), None)
    company_wide = filters["unit"] == warnings.COMPANY_WIDE and not policy.is_unit_scoped(current_user)
    if (filters["unit"] and unit is None and not company_wide) or \
            (filters["level"] and filters["level"] not in LEVELS) or \
            (filters["status"] and filters["status"] not in WARNING_STATUSES) or \
            (filters["todo"] and filters["todo"] not in warnings.WAITING):
        flash(_("Unknown filter value; showing every warning."), "error")
        filters, unit, company_wide = dict.fromkeys(filters, ""), None, False
    lists = {}
    for key, month, page_arg in (("current", period, "page"), ("previous", periods.previous(period), "prev_page")):
        stmt = warnings.ranked(current_user, month, unit_id=unit.id if unit else None,
                               level=filters["level"] or None, status=filters["status"] or None,
                               waiting=filters["todo"] or None, company_wide=company_wide)
        lists[key] = paged(db, stmt, page_arg)
    statuses = warnings.statuses_for(current_user)
    forms = {}
    for w in lists["current"].items + lists["previous"].items:
        if posted and w.id in posted:
            forms[w.id] = posted[w.id]
        elif warnings.may_answer(current_user, w):
            form = WarningForm(prefix=f"w{w.id}", formdata=None)
            form.response.data, form.progress.data, form.status.data = w.response, w.progress, w.status
            # The fingerprint of what the page draws: the cause and explanation only on an indicator's warning.
            cause, explanation = (w.cause, w.explanation) if warnings.answers_indicator(w) else (None, None)
            form.cause.data, form.explanation.data = cause or "", explanation or ""
            form.version.data = str(w.version)
            form.shown.data = warnings.shown(w.response, w.progress, w.status, cause, explanation)
            forms[w.id] = form
        if w.id in forms:
            forms[w.id].offer(statuses)
    codes = {w.id: w.code for w in lists["current"].items + lists["previous"].items}
    for i in set(bad) - set(codes):  # refused but no longer in the filtered lists: named all the same
        refused_warning = db.get(RiskWarning, i)
        codes[i] = refused_warning.code if refused_warning and policy.in_scope(current_user, refused_warning) \
            else f"#{i}"
        form = posted[i]
        form.row_error = " ".join(m for m in [getattr(form, "row_error", None)] + [
            str(m) for f in form for m in f.errors] if m)
        for f in form:
            f.errors = []
    refused = [(i, codes[i], forms.get(i) or posted[i]) for i in sorted(bad, key=lambda i: codes[i])]
    answered_by = counting.of_warnings(db, [w.id for w in lists["current"].items + lists["previous"].items])
    args = {"period": period, **{k: v for k, v in filters.items() if v}}
    shown = lists["current"].items + lists["previous"].items
    return render_template("register/warnings.html", period=period, lists=lists, forms=forms, refused=refused,
                           figures=figures.for_warnings(db, shown), answers_indicator=warnings.answers_indicator,
                           compared_labels=COMPARED_LABELS, CAUSE_LABELS=CAUSE_LABELS,
                           bad=bad, page_form=CsrfOnlyForm(), waiting_options=WAITING_LABELS.items(),
                           unit_options=_unit_options(units), filters=filters,
                           args=args, previous_period=periods.previous(period),
                           following=_following(period), actions=answered_by,
                           derived={i: counting.progress_of(found) for i, found in answered_by.items()},
                           may_assign_on=lambda w: action_service.may_assign_on(current_user, w))
