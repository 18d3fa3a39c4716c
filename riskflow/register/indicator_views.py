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
from ..auth.service import sales_units
from ..indicators import service as indicators
from .forms import IndicatorForm, IndicatorValueForm
from .models import Risk
from .board import bp


@bp.route("/indicators", methods=["GET", "POST"])
@login_required
def indicator_list():
    """Key risk indicators with their newest values; record this month's value; define new ones."""
    db = get_session()
    new = IndicatorForm(prefix="new")
    new.offer_units(sales_units(db))
    if request.method == "POST":
        policy.require(current_user, "indicator.manage")
        if new.validate_on_submit():
            data = new.data_for_service()
            code = data.pop("risk")
            data["risk_id"] = (db.scalar(select(Risk.id).where(Risk.code == code)) or -1) if code else None
            created = attempt(lambda: indicators.create(db, current_user, data), new, fields={"risk_id": "risk"})
            if created is not None:
                flash(_("Indicator %(code)s defined.", code=created.code), "info")
                return redirect(url_for("board.indicator_list"))
    return _list_page(db, new)


def _list_page(db, new: IndicatorForm, refused: IndicatorValueForm | None = None, refused_id: int | None = None):
    """The indicator list; NEW is the definition form and REFUSED the value form of indicator REFUSED_ID as
    the user sent it, when it was refused (the others start on this month)."""
    rows = list(db.scalars(indicators.query(current_user)).unique())
    latest = indicators.latest_values(db, [i.id for i in rows])
    forms = {}
    for ind in rows:
        if not indicators.may_record(current_user, ind):
            continue
        if ind.id == refused_id:
            forms[ind.id] = refused
        else:
            form = IndicatorValueForm(prefix=f"i{ind.id}", formdata=None)
            form.period.data = periods.current()
            forms[ind.id] = form
    return render_template("register/indicators.html", rows=rows, latest=latest, forms=forms, new=new,
                           can_define=policy.can(current_user, "indicator.manage"))


@bp.post("/indicators/<int:indicator_id>/values")
@login_required
def indicator_value(indicator_id: int):
    """Record a month's value; a refused one comes back in its row as typed, with the reason at the field."""
    db = get_session()
    form = IndicatorValueForm(prefix=f"i{indicator_id}")
    if form.validate_on_submit():
        saved = attempt(lambda: indicators.record_value(db, current_user, indicator_id, {
            "period": form.period.data, "value": form.value.data}), form)
        if saved is not None:
            row = saved[0]
            flash(_("Value saved: the indicator is breached.") if row.breached else _("Value saved: within the target."),
                  "error" if row.breached else "info")
            return redirect(url_for("board.indicator_list"))
    new = IndicatorForm(prefix="new", formdata=None)
    new.offer_units(sales_units(db))
    return _list_page(db, new, form, indicator_id)
