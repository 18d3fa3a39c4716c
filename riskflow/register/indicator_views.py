"""Key risk indicators: their definitions and monthly values."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import periods
from ..auth import policy
from ..db import get_session
from ..web import attempt
from . import indicators
from .forms import IndicatorForm, IndicatorValueForm
from .models import Risk
from .board import bp


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
                "threshold": new.threshold.data, "risk_id": risk_id}), new)
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
            "period": form.period.data, "value": form.value.data}))
        if saved is not None:
            row = saved[0]
            flash(_("Value saved: the indicator is breached.") if row.breached else _("Value saved: within the threshold."),
                  "error" if row.breached else "info")
    return redirect(url_for("board.indicator_list"))
