"""The dashboard and the health check."""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify, render_template
from markupsafe import Markup
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..api.core import document
from ..auth import policy
from .. import periods, revision
from ..auth.forms import ROLE_LABELS
from ..db import get_session
from ..i18n import current_language
from ..register import analysis, rounds, warnings
from ..register import tasks as register_tasks  # noqa: F401  (registers its provider)
from ..reports import tasks as report_tasks  # noqa: F401  (registers its provider)
from ..supervision import tasks as supervision_tasks  # noqa: F401  (registers its provider)
from ..incidents import tasks as incident_tasks  # noqa: F401  (registers its provider)
from ..indicators import tasks as indicator_tasks  # noqa: F401  (registers its provider)
from ..actions import tasks as action_tasks  # noqa: F401  (registers its provider)
from ..notifications import failures as delivery_tasks  # noqa: F401  (registers its provider)
from . import tasks

bp = Blueprint("main", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
@login_required
def dashboard():
    """What the signed-in user sees first: what waits on them, the latest heat map, warnings.

    Both parts are rendered once per data revision (see revision.py) and kept: the tasks per user, the
    picture per role and unit scope, since every risk manager or leader sees the same company."""
    db = get_session()
    user = current_user._get_current_object()
    language = current_language()
    tasks_html = revision.cached(db, ("dashboard.tasks", user.id, language), lambda: Markup(render_template(
        "main/_tasks.html", tasks=tasks.waiting_on(db, user))))
    picture_html = revision.cached(db, ("dashboard.picture", user.role, policy.scope_unit_id(user), language),
                                   lambda: Markup(render_template("main/_picture.html", **_picture(db, user))))
    return render_template("main/dashboard.html", role_label=ROLE_LABELS[user.role], tasks_html=tasks_html,
                           picture_html=picture_html)


def _picture(db, user) -> dict:
    period = analysis.latest_period(db, user)
    if period is None:
        return {"period": None}
    data = analysis.heatmap(db, user, period)
    progress = rounds.completion(db, user, period)
    # The newest graded month is shown even while it is being graded, saying how far grading got (the unit's
    # own figures for a unit's roles), with a link to the month before.
    graded, total = sum(p.graded for p in progress), sum(p.total for p in progress)
    return dict(
        period=period, heat=data, grid={(c["likelihood"], c["impact"]): c for c in data["cells"]},
        size_l=max(c["likelihood"] for c in data["cells"]), size_i=max(c["impact"] for c in data["cells"]),
        counts=analysis.level_counts(db, user, period),
        warnings=warnings.list_for_period(db, user, period, limit=8),
        progress=progress, in_progress=graded < total, graded=graded, total=total,
        unit_name=progress[0].unit.name if policy.is_unit_scoped(user) and progress else None,
        month_before=periods.previous(period),
    )


# The pages that do not need a place in the main navigation: (endpoint, label, action).
MORE_PAGES = (
    ("indicators.index", _l("Key risk indicators"), "indicator.read"),
    ("board.round_list", _l("Grading rounds"), "round.manage"),
    ("settings.standard_page", _l("Grading standard"), "standard.read"),
    ("settings.categories", _l("Risk categories"), "category.read"),
    ("transfer.imports", _l("Import risks or monthly grades"), "risk.write"),
    ("supervision.summary", _l("Efficiency supervision: results by year"), "supervision_project.read"),
    ("incidents.calibration_list", _l("Calibration"), "risk.read"),
    ("auth.units", _l("Units"), "unit.read"),
    ("auth.users", _l("Users"), "user.read"),
    ("auth.deliveries", _l("Messages not delivered"), "delivery.manage"),
    ("supervision.kind_list", _l("Project kinds"), "supervision_kind.manage"),
    ("auth.profile", _l("My profile"), None),
)


@bp.get("/more")
@login_required
def settings():
    """Everything else the user may open: indicators, rounds, the standard, administration."""
    pages = [(endpoint, label) for endpoint, label, action in MORE_PAGES
             if action is None or policy.can(current_user, action)]
    return render_template("main/more.html", pages=pages)


@bp.get("/ping")
def ping():
    """The smallest answer this server gives: the floor the benchmark compares pages with."""
    return "pong", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/healthz")
@document("Health check with a database round trip; no token", response="Health", errors=())
def healthz():
    """Liveness with a database round trip; needs no token."""
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})
