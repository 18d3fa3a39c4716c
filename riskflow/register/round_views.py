"""Grading rounds: open a month, see each unit's completion, close and reopen."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import periods
from ..auth import policy
from ..auth.service import sales_units
from ..db import get_session
from ..forms import CsrfOnlyForm, choices
from ..web import attempt
from . import rounds
from .forms import ReopenForm, RoundForm
from .board import bp


@bp.route("/rounds", methods=["GET", "POST"])
@login_required
def round_list():
    """Open a month's grading round; see each unit's completion; close or reopen."""
    db = get_session()
    policy.require(current_user, "round.manage")
    form = RoundForm(prefix="open")
    reopen = ReopenForm(prefix="reopen")
    reopen.unit.choices = choices((u.code, u.name) for u in sales_units(db))
    if request.method == "GET":
        form.period.data = periods.current()
    if request.method == "POST" and request.form.get("action") == "open" and form.validate_on_submit():
        if attempt(lambda: rounds.open_round(db, current_user, form.period.data, form.deadline.data), form):
            flash(_("The round for %(period)s is open.", period=form.period.data), "info")
            return redirect(url_for("board.round_list"))
    recent = list(db.scalars(select(rounds.GradingRound).order_by(rounds.GradingRound.period.desc()).limit(6)))
    today = periods.today()
    summary = [(r, rounds.is_closed(r, today), rounds.completion(db, current_user, r.period)) for r in recent]
    return render_template("register/rounds.html", form=form, reopen=reopen, summary=summary)


@bp.post("/rounds/<period:period>/close")
@login_required
def round_close(period: str):
    db = get_session()
    form = CsrfOnlyForm()
    if form.validate_on_submit():
        rounds.close_round(db, current_user, period)
        db.commit()
        flash(_("The round for %(period)s is closed; its grades are locked.", period=period), "info")
    return redirect(url_for("board.round_list"))


@bp.post("/rounds/<period:period>/reopen")
@login_required
def round_reopen(period: str):
    db = get_session()
    form = ReopenForm(prefix="reopen")
    form.unit.choices = choices((u.code, u.name) for u in sales_units(db))
    if form.validate_on_submit():
        if attempt(lambda: rounds.reopen_for_unit(db, current_user, period, form.unit.data, form.reason.data,
                                                   form.deadline.data)):
            flash(_("The round for %(period)s is reopened for %(unit)s.", period=period, unit=form.unit.data), "info")
    else:
        flash(_("Give the unit, a reason and a new deadline."), "error")
    return redirect(url_for("board.round_list"))
