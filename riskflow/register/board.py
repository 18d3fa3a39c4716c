"""Monthly work pages: heat map and major risks, warnings, the grading sheet, rounds, indicators."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import periods
from ..auth import policy
from ..auth.models import Unit
from ..auth.service import list_units, unit_by_code
from ..db import get_session
from ..errors import RiskflowError
from ..forms import CsrfOnlyForm, choices
from ..web import add_nav, attempt, error_text, flash_form_errors, paged, safe_next
from . import analysis, assessments, indicators, rounds, warnings
from .grading import LEVELS
from .forms import IndicatorForm, IndicatorValueForm, ReopenForm, RoundForm, WarningForm
from .models import WARNING_STATUSES, Assessment, Risk
from .standard import current as current_standard
from .views import scale_choices, visible_units

bp = Blueprint("board", __name__)

add_nav(20, "board.heatmap", _l("Heat map"), "risk.read")
add_nav(25, "board.grading", _l("Grading"), "assessment.write")
add_nav(30, "board.warning_list", _l("Warnings"), "risk.read")


def _period_or_latest(db) -> str:
    """The `period` argument when valid, else the newest graded month, else this month."""
    period = request.args.get("period", "")
    try:
        periods.parse(period)
        return period
    except ValueError:
        return analysis.latest_period(db, current_user) or periods.current()


def _unit_filter(db) -> Unit | None:
    """The `unit` argument, when it names a unit the user may look at."""
    code = request.args.get("unit")
    return next((u for u in visible_units(db) if u.code == code), None) if code else None


@bp.get("/heatmap")
@login_required
def heatmap():
    """The heat map of a month, major risks, level counts and grading completion."""
    db = get_session()
    period = _period_or_latest(db)
    unit = _unit_filter(db)
    unit_id = unit.id if unit else None
    data = analysis.heatmap(db, current_user, period, unit_id)
    standard = current_standard(db)[1]
    grid = {(c["likelihood"], c["impact"]): c for c in data["cells"]}
    size_l = max(c["likelihood"] for c in data["cells"])
    size_i = max(c["impact"] for c in data["cells"])
    return render_template(
        "register/heatmap.html", period=period, unit=unit, units=visible_units(db), data=data, grid=grid,
        size_l=size_l, size_i=size_i, standard=standard,
        ranked=analysis.major_risks(db, current_user, period, 10, unit_id),
        counts=analysis.level_counts(db, current_user, period, unit_id),
        progress=rounds.completion(db, current_user, period), round=rounds.find(db, period),
        previous=periods.previous(period), following=periods.shift(period, 1),
    )


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


@bp.route("/grading", methods=["GET", "POST"])
@login_required
def grading():
    """The monthly grading sheet of a unit: every active risk, pre-filled with last month's grade."""
    db = get_session()
    policy.require(current_user, "assessment.write")
    round_ = rounds.latest(db)
    period = request.values.get("period") or (round_.period if round_ else periods.current())
    units = visible_units(db)
    scope = policy.scope_unit_id(current_user)
    unit = next((u for u in units if u.id == scope), None) if scope else (
        unit_by_code(db, request.values.get("unit", "")) or (units[0] if units else None))
    form = CsrfOnlyForm()
    standard = current_standard(db)[1]
    rows = []
    if unit is not None:
        stmt = select(Risk).where(Risk.unit_id == unit.id, Risk.status == "active").order_by(Risk.code)
        unit_risks = list(db.scalars(stmt))
        ids = [r.id for r in unit_risks]
        this = {a.risk_id: a for a in db.scalars(select(Assessment).where(
            Assessment.risk_id.in_(ids), Assessment.period == period))} if ids else {}
        last = {a.risk_id: a for a in db.scalars(select(Assessment).where(
            Assessment.risk_id.in_(ids), Assessment.period == periods.previous(period)))} if ids else {}
        rows = [{"risk": r, "this": this.get(r.id), "last": last.get(r.id)} for r in unit_risks]
    errors: dict[int, str] = {}
    if request.method == "POST" and form.validate_on_submit() and unit is not None:
        errors = _save_sheet(db, rows, period)
        if not errors:
            flash(_("Grades for %(period)s saved.", period=period), "info")
            return redirect(url_for("board.grading", period=period, unit=unit.code))
        flash(_("Nothing was saved: correct the marked rows."), "error")
    return render_template(
        "register/grading.html", period=period, unit=unit, units=units, rows=rows, form=form, errors=errors,
        typed=request.form if errors else None,
        likelihood_choices=scale_choices(standard.likelihood), impact_choices=scale_choices(standard.impact),
        is_open=unit is not None and rounds.is_open_for(db, period, unit.id)
        and assessments.may_grade_month(db, current_user, unit.id, period), round=rounds.find(db, period),
    )


def _save_sheet(db, rows, period) -> dict[int, str]:
    """Grade or revise every row the sheet changed, all or none; returns errors by risk id.

    Each row carries the version of the month's grade as the sheet showed it (empty: not graded then), so
    a grade changed or recorded by someone else since is refused, not overwritten."""
    errors = {}
    for row in rows:
        risk = row["risk"]
        l_raw, i_raw = request.form.get(f"l_{risk.id}", ""), request.form.get(f"i_{risk.id}", "")
        rationale = request.form.get(f"r_{risk.id}", "")
        v_raw = request.form.get(f"v_{risk.id}", "")
        if not l_raw and not i_raw:
            continue
        if not (l_raw.isdigit() and i_raw.isdigit()):
            errors[risk.id] = _("Choose both likelihood and impact.")
            continue
        data = {"period": period, "likelihood": int(l_raw), "impact": int(i_raw), "rationale": rationale}
        existing = row["this"]
        if existing is not None and (existing.likelihood, existing.impact, existing.rationale) == (
                data["likelihood"], data["impact"], rationale.strip()):
            continue
        try:
            if existing is None:
                assessments.record(db, current_user, risk.id, data)
            else:
                version = int(v_raw) if v_raw.isdigit() else 0
                assessments.revise(db, current_user, risk.id, period, {**data, "version": version})
        except RiskflowError as exc:
            errors[risk.id] = error_text(exc)
    if errors:
        db.rollback()
    else:
        db.commit()
    return errors


@bp.route("/rounds", methods=["GET", "POST"])
@login_required
def round_list():
    """Open a month's grading round; see each unit's completion; close or reopen."""
    db = get_session()
    policy.require(current_user, "round.manage")
    form = RoundForm(prefix="open")
    reopen = ReopenForm(prefix="reopen")
    reopen.unit.choices = choices((u.code, u.name) for u in list_units(db))
    if request.method == "GET":
        form.period.data = periods.current()
    if request.method == "POST" and request.form.get("action") == "open" and form.validate_on_submit():
        if attempt(lambda: rounds.open_round(db, current_user, form.period.data.strip(), form.deadline.data), form):
            flash(_("The round for %(period)s is open.", period=form.period.data), "info")
            return redirect(url_for("board.round_list"))
    recent = list(db.scalars(select(rounds.GradingRound).order_by(rounds.GradingRound.period.desc()).limit(6)))
    today = periods.today()
    summary = [(r, rounds.is_closed(r, today), rounds.completion(db, current_user, r.period)) for r in recent]
    return render_template("register/rounds.html", form=form, reopen=reopen, summary=summary)


@bp.post("/rounds/<period>/close")
@login_required
def round_close(period: str):
    db = get_session()
    form = CsrfOnlyForm()
    if form.validate_on_submit():
        rounds.close_round(db, current_user, period)
        db.commit()
        flash(_("The round for %(period)s is closed; its grades are locked.", period=period), "info")
    return redirect(url_for("board.round_list"))


@bp.post("/rounds/<period>/reopen")
@login_required
def round_reopen(period: str):
    db = get_session()
    form = ReopenForm(prefix="reopen")
    form.unit.choices = choices((u.code, u.name) for u in list_units(db))
    if form.validate_on_submit():
        if attempt(lambda: rounds.reopen_for_unit(db, current_user, period, form.unit.data, form.reason.data,
                                                   form.deadline.data)):
            flash(_("The round for %(period)s is reopened for %(unit)s.", period=period, unit=form.unit.data), "info")
    else:
        flash(_("Give the unit, a reason and a new deadline."), "error")
    return redirect(url_for("board.round_list"))


@bp.route("/indicators", methods=["GET", "POST"])
@login_required
def indicator_list():
    """Key risk indicators with their newest values; record this month's value; define new ones."""
    db = get_session()
    new = IndicatorForm(prefix="new")
    if request.method == "POST":
        policy.require(current_user, "indicator.manage")
        if new.validate_on_submit():
            risk_id = None
            if new.risk.data:
                risk_id = db.scalar(select(Risk.id).where(Risk.code == new.risk.data.strip())) or -1
            created = attempt(lambda: indicators.create(db, current_user, {
                "code": new.code.data, "name": new.name.data, "direction": new.direction.data,
                "threshold": new.threshold.data.strip(), "risk_id": risk_id}), new)
            if created is not None:
                flash(_("Indicator %(code)s defined.", code=created.code), "info")
                return redirect(url_for("board.indicator_list"))
    rows = list(db.scalars(indicators.query(current_user)).unique())
    latest = indicators.latest_values(db, [i.id for i in rows])
    forms = {}
    for ind in rows:
        if policy.can(current_user, "indicator.record", ind):
            form = IndicatorValueForm(prefix=f"i{ind.id}", formdata=None)
            form.period.data = periods.current()
            forms[ind.id] = form
    return render_template("register/indicators.html", rows=rows, latest=latest, forms=forms, new=new,
                           can_define=policy.can(current_user, "indicator.manage"))


@bp.post("/indicators/<int:indicator_id>/values")
@login_required
def indicator_value(indicator_id: int):
    db = get_session()
    form = IndicatorValueForm(prefix=f"i{indicator_id}")
    if form.validate_on_submit():
        saved = attempt(lambda: indicators.record_value(db, current_user, indicator_id, {
            "period": form.period.data.strip(), "value": form.value.data.strip()}))
        if saved is not None:
            row = saved[0]
            flash(_("Value saved: the indicator is breached.") if row.breached else _("Value saved: within the threshold."),
                  "error" if row.breached else "info")
    return redirect(url_for("board.indicator_list"))

