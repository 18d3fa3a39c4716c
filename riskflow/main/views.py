"""The dashboard and the health check."""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..api.core import document
from ..auth.forms import ROLE_LABELS
from ..db import get_session

bp = Blueprint("main", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
@login_required
def dashboard():
    """What the signed-in user sees first."""
    return render_template("main/dashboard.html", role_label=ROLE_LABELS[current_user.role])


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
