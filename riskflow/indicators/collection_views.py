"""Collecting the monthly values: the risk manager's list of the values still missing, unit by unit; and the
links the other pages make to an indicator (in one place, while the indicator pages move)."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template, url_for
from flask_login import current_user, login_required

from .. import periods
from ..auth import policy
from ..db import get_session
from . import collection
from .figures import number

bp = Blueprint("collection", __name__)


@bp.app_template_global("indicator_url")
def indicator_url(indicator_id: int) -> str:
    """The page of one indicator."""
    return url_for("indicators.detail", indicator_id=indicator_id)


@bp.app_template_global("indicator_sheet_url")
def indicator_sheet_url(period: str) -> str:
    """The values sheet of a month, where the missing values are entered."""
    return url_for("indicators.sheet", period=period)


bp.add_app_template_filter(number, "figure")


@bp.get("/indicators/missing")
@login_required
def missing():
    """Last month's values not reported by the report day, unit by unit, each with since when it is missing."""
    policy.require(current_user, "indicator.manage")
    db = get_session()
    period, groups = collection.missing_by_unit(db, current_user)
    pending = periods.previous(periods.current())
    return render_template("indicators/missing.html", period=period, groups=groups, pending=pending,
                           due=collection.overdue_since(pending) - timedelta(days=1),
                           total=sum(len(g.items) for g in groups))
