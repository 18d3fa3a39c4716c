"""Editing an indicator's definition, on its own page."""
from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..db import get_session
from ..web import edit_page
from ..auth.service import sales_units
from ..indicators import service as indicators
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
    form.offer_units(sales_units(db))
    if request.method == "GET":
        form.unit.data = indicator.unit.code if indicator.unit else ""
        form.plan.data = indicator.plan or ""
        form.owner.data = indicator.owner.username if indicator.owner else ""
        form.risk.data = indicator.risk.code if indicator.risk else ""

    def save(data: dict):
        code = data.pop("risk")
        # A code that names no risk is sent as an id that names none, for the service to refuse at the field.
        data["risk_id"] = (db.scalar(select(Risk.id).where(Risk.code == code)) or -1) if code else None
        return indicators.update(db, current_user, indicator.id, data)

    return edit_page(form, save, saved=_("Indicator %(code)s saved.", code=indicator.code),
                     to=url_for("board.indicator_list"), template="register/indicator_edit.html",
                     indicator=indicator)
