"""Grading rounds: open a month, see each unit's completion, close (after confirming units at 0%) and reopen."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import periods
from ..auth import policy
from ..auth.models import Unit
from ..db import get_session
from ..forms import CsrfOnlyForm, choices
from ..web import attempt
from . import rounds, sheets
from .forms import ReopenForm, RoundForm, SheetStepForm
from .board import bp

RECENT = 6


def unit_names(units) -> str:
    """Unit names as a sentence lists them: 北京销售分公司、上海销售分公司."""
    return _(", ").join(u.name for u in units)


def _reopen_form(period: str, progress, formdata=None) -> ReopenForm:
    """The reopen form of PERIOD's round: every unit with risks to grade, all ticked at first."""
    form = ReopenForm(formdata=formdata, prefix=f"reopen-{period}")
    form.unit.choices = choices((p.unit.code, p.unit.name) for p in progress)
    if formdata is None:
        form.unit.data = [p.unit.code for p in progress]
    return form


def _step_form(period: str, code: str, formdata=None) -> SheetStepForm:
    """The accept / return form of one unit's sheet of PERIOD's round."""
    return SheetStepForm(formdata=formdata, prefix=f"sheet-{period}-{code}")


def _page(db, form=None, reopen: ReopenForm | None = None, reopen_period: str | None = None,
          confirm_period: str | None = None, step: tuple[str, str, SheetStepForm] | None = None):
    """The rounds page; FORM, REOPEN (of REOPEN_PERIOD) are the forms as submitted when redrawn after a refusal,
    CONFIRM_PERIOD the round whose closing waits for a confirmation, STEP (period, unit code, form) a unit's
    sheet step that was refused."""
    if form is None:
        form = RoundForm(formdata=None, prefix="open")
        form.period.data = rounds.proposed_period(db)
    recent = list(db.scalars(select(rounds.GradingRound).order_by(rounds.GradingRound.period.desc()).limit(RECENT)))
    today = periods.today()
    summary = []
    for rnd in recent:
        progress = rounds.completion(db, current_user, rnd.period)
        closed = rounds.is_closed(rnd, today)
        summary.append({
            "round": rnd, "closed": closed, "progress": progress,
            "reopen": (reopen if rnd.period == reopen_period else _reopen_form(rnd.period, progress)) if closed else None,
            "idle": rounds.idle(progress) if rnd.period == confirm_period else None,
            # A unit the closed round was reopened for grades until its own deadline.
            "deadlines": {p.unit.id: rounds.deadline_for(db, rnd, p.unit.id) for p in progress if closed and p.open},
            "complete": rounds.complete(progress),
            "steps": {p.unit.code: (step[2] if step and step[:2] == (rnd.period, p.unit.code)
                                    else _step_form(rnd.period, p.unit.code))
                      for p in progress if p.state in ("submitted", "confirmed")},
        })
    status = 422 if step is not None else 200
    return render_template("register/rounds.html", form=form, summary=summary, unit_names=unit_names), status


@bp.post("/rounds/<period:period>/units/<code>/sheet")
@login_required
def round_sheet_step(period: str, code: str):
    """Accept or return a unit's grading sheet from the rounds page (a return needs the reason)."""
    db = get_session()
    policy.require(current_user, "round.manage")
    form = _step_form(period, code, formdata=request.form)
    if form.validate_on_submit():
        fields = {"comment": form.comment.data} if form.comment.data else {}
        done = attempt(lambda: sheets.fire(db, current_user, period, code, form.transition.data or "", **fields),
                       form)
        if done is not None:
            unit = db.get(Unit, done.unit_id).name
            if form.transition.data == "return":
                flash(_("%(unit)s's grading sheet of %(period)s is returned; the unit is told.", unit=unit,
                        period=period), "info")
            else:
                flash(_("%(unit)s's grading sheet of %(period)s is now %(state)s.", unit=unit, period=period,
                        state=sheets.label(done.state)), "info")
            return redirect(url_for("board.round_list") + f"#round-{period}")
    return _page(db, step=(period, code, form))


@bp.route("/rounds", methods=["GET", "POST"])
@login_required
def round_list():
    """Open a month's grading round; see each unit's completion; close or reopen."""
    db = get_session()
    policy.require(current_user, "round.manage")
    if request.method == "GET":
        return _page(db)
    form = RoundForm(prefix="open")
    if form.validate_on_submit():
        if attempt(lambda: rounds.open_round(db, current_user, form.period.data, form.deadline.data), form):
            flash(_("The round for %(period)s is open.", period=form.period.data), "info")
            return redirect(url_for("board.round_list"))
    return _page(db, form=form)


@bp.post("/rounds/<period:period>/close")
@login_required
def round_close(period: str):
    """Close a round now. Units that have graded nothing are named first, and the round closes only once
    the risk manager confirms (`confirm=1`), with or without the page's script."""
    db = get_session()
    policy.require(current_user, "round.manage")
    if not CsrfOnlyForm().validate_on_submit():
        flash(_("The form expired or was not sent from this site; reload the page and try again."), "error")
        return redirect(url_for("board.round_list"))
    if request.form.get("confirm") != "1" and rounds.idle_units(db, current_user, period):
        return _page(db, confirm_period=period)
    if attempt(lambda: rounds.close_round(db, current_user, period)):
        flash(_("The round for %(period)s is closed; its grades are locked.", period=period), "info")
    return redirect(url_for("board.round_list"))


@bp.post("/rounds/<period:period>/reopen")
@login_required
def round_reopen(period: str):
    """Reopen a closed round for the ticked units (the whole round, or some), with a reason and a new deadline."""
    db = get_session()
    policy.require(current_user, "round.manage")
    form = _reopen_form(period, rounds.completion(db, current_user, period), formdata=request.form)
    if form.validate_on_submit():
        reopened = attempt(lambda: rounds.reopen(db, current_user, period, form.unit.data, form.reason.data,
                                                 form.deadline.data), form)
        if reopened is not None:
            units = [db.get(Unit, r.unit_id) for r in reopened]
            flash(_("The round for %(period)s is reopened for %(units)s.", period=period, units=unit_names(units)),
                  "info")
            return redirect(url_for("board.round_list"))
    return _page(db, reopen=form, reopen_period=period)
