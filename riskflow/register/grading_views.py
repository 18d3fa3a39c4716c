"""The monthly grading sheet: a unit's active risks graded on one page."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import periods, values
from ..auth import policy
from ..auth.service import unit_by_code
from ..db import get_session
from ..errors import RiskflowError
from ..forms import CsrfOnlyForm
from ..web import error_text
from . import assessments, rounds
from .models import Assessment, Risk
from .standard import current as current_standard
from .views import scale_choices, visible_units
from .board import bp


@bp.route("/grading", methods=["GET", "POST"])
@login_required
def grading():
    """The monthly grading sheet of a unit: every active risk, pre-filled with last month's grade."""
    db = get_session()
    policy.require(current_user, "assessment.write")
    round_ = rounds.latest(db)
    period = request.values.get("period") or (round_.period if round_ else periods.current())
    if not periods.is_period(period):
        flash(periods.PERIOD_MESSAGE, "error")
        return redirect(url_for("board.grading"))
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
        try:
            data = {"period": period, "likelihood": values.whole(l_raw), "impact": values.whole(i_raw),
                    "rationale": rationale}
        except ValueError:
            errors[risk.id] = _("Choose both likelihood and impact.")
            continue
        existing = row["this"]
        if existing is not None and (existing.likelihood, existing.impact, existing.rationale) == (
                data["likelihood"], data["impact"], rationale.strip()):
            continue
        try:
            if existing is None:
                assessments.record(db, current_user, risk.id, data)
            else:
                version = values.whole_or(v_raw, 0)
                assessments.revise(db, current_user, risk.id, period, {**data, "version": version})
        except RiskflowError as exc:
            errors[risk.id] = error_text(exc)
    if errors:
        db.rollback()
    else:
        db.commit()
    return errors
