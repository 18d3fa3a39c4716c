"""The year's supervision plan page: the phases as a timeline, the inspector's edit form, the projects still
open for the summary and, in the inspection window, those not inspected yet."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .. import periods
from ..auth import policy
from ..db import get_session
from ..forms import DayField, VersionedForm
from ..web import attempt
from . import plan as year_plan
from .views import _year_arg, bp

_DATE_LABELS = {"start": _l("%(phase)s: start"), "end": _l("%(phase)s: end")}


class PlanForm(VersionedForm, FlaskForm):
    """The ten dates of the year's phases and the notes (the fields are named as the service names them)."""

    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])

    def data_for_service(self) -> dict:
        return {**{name: getattr(self, name).data for name in year_plan.DATE_FIELDS}, "notes": self.notes.data}


for _phase in year_plan.PHASES:
    for _end in ("start", "end"):
        setattr(PlanForm, f"{_phase}_{_end}", DayField(validators=[DataRequired()]))


def _label_dates(form: PlanForm) -> None:
    for phase, name in year_plan.PHASES.items():
        for end in ("start", "end"):
            getattr(form, f"{phase}_{end}").label.text = _DATE_LABELS[end] % {"phase": name}


@bp.route("/supervision/plan", methods=["GET", "POST"])
@login_required
def plan_page():
    """The year's plan: its phases (today's marked), the edit form for who may change it, the open projects.
    A refused save draws the page again (200, as the other edit pages) with what was typed."""
    policy.require(current_user, "supervision_project.read")
    db = get_session()
    year = _year_arg()
    if not year_plan.FIRST_YEAR <= year <= year_plan.LAST_YEAR:
        flash(periods.YEAR_MESSAGE, "error")
        year = periods.today().year
    can_edit = policy.can(current_user, "supervision.manage")
    if request.method == "POST" and not can_edit:
        abort(403)
    plan = year_plan.plan_for(db, year)
    form = PlanForm(data={**plan.dates, "notes": plan.notes, "version": plan.version}
                    if request.method == "GET" else None)
    _label_dates(form)
    if request.method == "POST":
        if form.validate_on_submit():
            saved = attempt(lambda: year_plan.save_plan(
                db, current_user, year, {**form.data_for_service(), "version": form.version_read()}), form)
            if saved is not None:
                flash(_("The supervision plan of %(year)s was saved.", year=year), "info")
                return redirect(url_for("supervision.plan_page", year=year))
    today = periods.today()
    under_way = year_plan.phase_on(plan, today)
    inspecting = "inspection" in under_way
    return render_template(
        "supervision/plan.html", year=year, plan=plan, form=form if can_edit else None, today=today,
        under_way=under_way, still_open=year_plan.open_at_year_end(db, current_user, year), inspecting=inspecting,
        uninspected=list(db.scalars(year_plan.without_inspection(current_user, year))) if inspecting else [])
