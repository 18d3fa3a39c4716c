"""Pages to upload an import file and watch it run, and to download the register."""
from __future__ import annotations

import io

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import periods
from ..auth import policy
from ..db import get_session
from ..i18n import current_language
from ..web import attempt, send_download
from . import importing, transfer
from .forms import ImportForm
from .models import ImportJob

bp = Blueprint("transfer", __name__)


@bp.route("/imports", methods=["GET", "POST"])
@login_required
def imports():
    """Upload risks or a month's grades; the import runs in the background."""
    policy.require(current_user, "risk.write")
    db = get_session()
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        job = attempt(lambda: importing.start(db, current_user, form.kind.data, upload.filename,
                                              form.period.data or None), form)
        if job is not None:
            importing.launch(current_app._get_current_object(), job.id, data, current_language())
            return redirect(url_for("transfer.import_status", job_id=job.id))
    elif request.method == "GET":
        form.period.data = periods.current()
    recent = list(db.scalars(select(ImportJob).where(ImportJob.created_by_id == current_user.id)
                             .order_by(ImportJob.id.desc()).limit(10)))
    return render_template("register/imports.html", form=form, recent=recent, columns=transfer)


@bp.get("/imports/<int:job_id>")
@login_required
def import_status(job_id: int):
    """One import: a progress bar while it runs, then its outcome with every bad row."""
    db = get_session()
    job = importing.get(db, current_user, job_id)
    return render_template("register/import_status.html", job=job, status=importing.job_json(job),
                           new_risks=[r for r in importing.new_risks(db, job) if policy.can(current_user, "risk.read", r)])


@bp.get("/imports/<int:job_id>.json")
@login_required
def import_status_json(job_id: int):
    """The job's progress, polled by the status page."""
    return jsonify(importing.job_json(importing.get(get_session(), current_user, job_id)))


@bp.get("/risks/export")
@login_required
def export():
    """Download a month's register as .xlsx, with grades and level colours."""
    db = get_session()
    period = request.args.get("period") or periods.current()
    buffer = io.BytesIO()
    transfer.export_register(db, current_user, period, buffer, current_language())
    buffer.seek(0)
    name = f"register-{period}.xlsx"
    return send_download(buffer, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


