"""Editing an indicator's definition, on its own page."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..db import get_session
from ..web import attempt
from . import indicators
from .board import bp
from .forms import IndicatorEditForm
from .models import Risk


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@login_required
def indicator_edit(indicator_id: int):
    """Edit an indicator's code, name, rule, threshold, linked risk and use; a save based on an older page is
    refused. Values recorded before keep the breach they were judged by."""
    db = get_session()
    indicator = indicators.get(db, current_user, indicator_id, "indicator.manage")
    form = IndicatorEditForm(obj=indicator if request.method == "GET" else None)
    if request.method == "GET":
        form.threshold.data = format(indicator.threshold.normalize(), "f")
        form.risk.data = indicator.risk.code if indicator.risk else ""
    elif form.validate_on_submit():
        risk_id = None
        if form.risk.data:
            risk_id = db.scalar(select(Risk.id).where(Risk.code == form.risk.data.strip())) or -1
        saved = attempt(lambda: indicators.update(db, current_user, indicator.id, {
            "code": form.code.data, "name": form.name.data, "direction": form.direction.data,
            "threshold": form.threshold.data, "risk_id": risk_id, "active": form.active.data,
            "version": form.version_read()}), form)
        if saved is not None:
            flash(_("Indicator %(code)s saved.", code=saved.code), "info")
            return redirect(url_for("board.indicator_list"))
    return render_template("register/indicator_edit.html", form=form, indicator=indicator)
