"""Monthly work pages: heat map and major risks, warnings, the grading sheet, rounds."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import periods
from ..actions import coverage
from ..auth.models import Unit
from ..db import get_session
from ..web import add_nav
from . import analysis, rounds
from .standard import current as current_standard
from .views import visible_units

bp = Blueprint("board", __name__)

add_nav(20, "board.heatmap", _l("Heat map"), "risk.read")
add_nav(25, "board.grading", _l("Grading"), "assessment.write")
add_nav(30, "board.warning_list", _l("Warnings"), "risk.read")


def _period_or_latest(db) -> str:
    """The `period` argument when valid, else the newest graded month, else this month."""
    period = request.args.get("period", "")
    if periods.is_period(period):
        return period
    return analysis.latest_period(db, current_user) or periods.current()


def _following(period: str) -> str | None:
    """The month after PERIOD, or None when it has not begun: no page offers a month to come."""
    following = periods.shift(period, 1)
    return following if following <= periods.current() else None


def _unit_filter(db) -> Unit | None:
    """The `unit` argument, when it names a unit the user may look at."""
    code = request.args.get("unit")
    return next((u for u in visible_units(db) if u.code == code), None) if code else None


@bp.get("/heatmap")
@login_required
def heatmap():
    """The heat map of a month, major risks, level counts and grading completion."""
    db = get_session()
    period = _period_or_latest(db)
    unit = _unit_filter(db)
    unit_id = unit.id if unit else None
    data = analysis.heatmap(db, current_user, period, unit_id)
    standard = current_standard(db)[1]
    grid = {(c["likelihood"], c["impact"]): c for c in data["cells"]}
    size_l = max(c["likelihood"] for c in data["cells"])
    size_i = max(c["impact"] for c in data["cells"])
    return render_template(
        "register/heatmap.html", period=period, unit=unit, units=visible_units(db), data=data, grid=grid,
        size_l=size_l, size_i=size_i, standard=standard,
        ranked=analysis.major_risks(db, current_user, period, 10, unit_id),
        uncovered={r.assessment.risk_id for r in coverage.without_action(db, current_user, period)},
        counts=analysis.level_counts(db, current_user, period, unit_id),
        progress=rounds.completion(db, current_user, period), round=rounds.find(db, period),
        previous=periods.previous(period), following=_following(period),
    )


# The other monthly pages register their routes on this blueprint.
from . import grading_views, round_views, warning_views  # noqa: E402,F401
