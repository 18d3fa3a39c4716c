"""The monthly grading sheet: a unit's active risks graded on one page."""
from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from .. import periods, values
from ..auth import policy
from ..auth.service import unit_by_code
from ..db import get_session
from ..forms import choices
from ..web import attempt
from . import assessments, rounds, sheet, sheets
from .board import bp
from .forms import SheetStepForm
from .grading import LEVELS, Standard, grade, matrix
from .labels import level_label
from .standard import current as current_standard
from .views import scale_choices, visible_units

# Where a row's refusal is shown: the service's field names -> the sheet's field prefixes.
FIELD_PREFIX = {"likelihood": "l", "impact": "i", "rationale": "r", "same": "s"}


class RowField(HiddenField):
    """The version of a row's month grade as the sheet showed it. Its label names the risk and it carries
    the row's own refusals (a grade changed by someone else, a closed month), so the error summary links
    them to the row (its id is the row's)."""


def sheet_form(rows: list[sheet.Row], standard: Standard) -> FlaskForm:
    """The sheet's form: per risk a likelihood, an impact, a reason, "the same as last month" (a risk
    graded last month) and the version read; drawn with the month's grades, or the submitted values."""
    likelihoods = choices(scale_choices(standard.likelihood, blank=True))
    impacts = choices(scale_choices(standard.impact, blank=True))

    class SheetForm(FlaskForm):
        pass

    initial = {}
    for row in rows:
        risk, rid = row.risk, row.risk.id
        setattr(SheetForm, f"l_{rid}", SelectField(f"{_('Likelihood')} {risk.code}", choices=likelihoods,
                                                     default=""))
        setattr(SheetForm, f"i_{rid}", SelectField(f"{_('Impact')} {risk.code}", choices=impacts, default=""))
        setattr(SheetForm, f"r_{rid}", TextAreaField(f"{_('Reason for the grade')} {risk.code}",
                                                     validators=[Optional(), Length(max=4000)]))
        if row.last is not None:
            setattr(SheetForm, f"s_{rid}", BooleanField(f"{_('Same as last month')} {risk.code}"))
        setattr(SheetForm, f"v_{rid}", RowField(f"{risk.code} {risk.title}", id=f"row-{rid}"))
        if row.this is not None:
            initial.update({f"l_{rid}": str(row.this.likelihood), f"i_{rid}": str(row.this.impact),
                            f"r_{rid}": row.this.rationale, f"v_{rid}": str(row.this.version)})
    return SheetForm(data=initial)


def entries(form, rows: list[sheet.Row]) -> dict[int, sheet.Entry]:
    """What the (validated) form sent for each row."""
    found = {}
    for row in rows:
        rid = row.risk.id
        same = form[f"s_{rid}"] if f"s_{rid}" in form else None
        found[rid] = sheet.Entry(
            likelihood=values.whole_or(form[f"l_{rid}"].data or "", None),
            impact=values.whole_or(form[f"i_{rid}"].data or "", None),
            rationale=form[f"r_{rid}"].data or "", same=bool(same and same.data),
            version=values.whole_or(form[f"v_{rid}"].data or "", None))
    return found


def show_marked(form, rows, found: dict[int, sheet.Entry]) -> None:
    """Draw the rows mark_same ticked: ticked, with last month's grade chosen."""
    for row in rows:
        entry, rid = found[row.risk.id], row.risk.id
        if entry.same and f"s_{rid}" in form:
            form[f"s_{rid}"].data = True
            form[f"l_{rid}"].data, form[f"i_{rid}"].data = str(entry.likelihood), str(entry.impact)


def show_refusals(form, refused: sheet.SheetRefused) -> None:
    """Each refused row's reasons at its fields, or at the row when no field shows them."""
    for rid, exc in refused.rows.items():
        placed, unplaced = False, []
        for name, messages in exc.errors.items():
            name_here = f"{FIELD_PREFIX.get(name)}_{rid}"
            if name_here in form:
                field = form[name_here]
                field.errors = list(field.errors or []) + [str(m) for m in messages]
                placed = True
            elif name != "version":  # a stale version is what the message says
                unplaced += [str(m) for m in messages]
        if unplaced or not placed:
            form[f"v_{rid}"].errors = [" ".join([str(exc.message)] + unplaced)]


def live_grades(form, rows, standard) -> dict[int, tuple[int, str]]:
    """The (score, level) each row's chosen likelihood and impact make, as the page's script shows it."""
    shown = {}
    for row in rows:
        rid = row.risk.id
        likelihood = values.whole_or(form[f"l_{rid}"].data or "", None)
        impact = values.whole_or(form[f"i_{rid}"].data or "", None)
        if likelihood is not None and impact is not None:
            try:
                shown[rid] = grade(standard, likelihood, impact)
            except ValueError:
                pass
    return shown


def may_see_sheet(user) -> bool:
    """The grading page is the officer's (who grades) and the unit head's (who reviews the unit's sheet)."""
    return policy.can(user, "assessment.write") or user.role == "unit_head"


@bp.route("/grading", methods=["GET", "POST"])
@login_required
def grading(step: SheetStepForm | None = None):
    """The monthly grading sheet of a unit: every active risk, with last month's grade beside it; its
    sign-off state, and the step the user may take on it (submit, confirm, return). STEP is that form as
    submitted, when the step was refused."""
    db = get_session()
    if not may_see_sheet(current_user):
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
    standard = current_standard(db)[1]
    rows = sheet.rows(db, unit.id, period) if unit is not None else []
    form = sheet_form(rows, standard)
    signoff = sheets.status(db, period, unit.id) if unit is not None else None
    if step is None and request.method == "POST" and unit is not None and form.validate_on_submit():
        found = entries(form, rows)
        if "same_all" in request.form:
            marked = sheet.mark_same(rows, found)
            show_marked(form, rows, found)
            flash(ngettext("%(num)d row marked the same as last month; save to grade it.",
                           "%(num)d rows marked the same as last month; save to grade them.", marked), "info")
        else:
            try:
                saved = sheet.save(db, current_user, period, rows, found, _("Same as last month"))
            except sheet.SheetRefused as refused:
                db.rollback()
                show_refusals(form, refused)
            else:
                db.commit()
                flash(ngettext("%(num)d grade for %(period)s saved.", "%(num)d grades for %(period)s saved.",
                               saved, period=period) if saved else
                      _("No row was changed or marked the same as last month: nothing to save."), "info")
                return redirect(url_for("board.grading", period=period, unit=unit.code))
    round_open = unit is not None and rounds.is_open_for(db, period, unit.id)
    can_grade = policy.can(current_user, "assessment.write")
    return render_template(
        "register/grading.html", period=period, unit=unit, units=units, rows=rows, form=form,
        live=live_grades(form, rows, standard),
        matrix=json.dumps(matrix(standard)),
        level_names=json.dumps({code: str(level_label(code)) for code in LEVELS}, ensure_ascii=False),
        # Grades are drawn as inputs only to a grader, in a month open for the unit, on a sheet not submitted.
        is_open=round_open and can_grade and assessments.may_grade_month(db, current_user, unit.id, period)
        and (signoff is None or signoff.state == sheets.INITIAL), round=rounds.find(db, period),
        round_open=round_open, signoff=signoff, can_grade=can_grade, step=step or SheetStepForm(formdata=None),
        ungraded=sum(1 for row in rows if row.this is None),
    ), 422 if step is not None and step.errors else 200


@bp.post("/grading/sheet")
@login_required
def grading_step():
    """Take a step of the unit's grading sheet from the grading page: back to it, or the page drawn again
    with the refusal at the button (or at the reason)."""
    db = get_session()
    period, code = request.form.get("period", ""), request.form.get("unit", "")
    form = SheetStepForm()
    if form.validate_on_submit():
        fields = {"comment": form.comment.data} if form.comment.data else {}
        done = attempt(lambda: sheets.fire(db, current_user, period, code, form.transition.data or "", **fields),
                       form)
        if done is not None:
            flash(_("The grading sheet is now %(state)s.", state=sheets.label(done.state)), "info")
            return redirect(url_for("board.grading", period=period, unit=code))
    return grading(step=form)

