"""Evidence files from the pages: one upload and one download for every kind of item."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from . import attachments
from .db import get_session
from .forms import EvidenceForm
from .web import attempt, send_download
from .workflow.views import kind_of

bp = Blueprint("evidence", __name__)


@bp.post("/evidence/<entity>/<int:item_id>")
@login_required
def upload(entity: str, item_id: int):
    """Attach an evidence file to a project, a recommendation or an incident, then back to its page."""
    endpoint = kind_of(entity)[1]
    db = get_session()
    form = EvidenceForm()
    if form.validate_on_submit():
        file = form.file.data
        saved = attempt(lambda: attachments.add(db, current_user, entity, item_id, file.filename or "",
                                                file.read(), f"{entity}.attach"))
        if saved is not None:
            flash(_("%(name)s attached.", name=saved.filename), "info")
    else:
        flash(_("Choose a file to attach."), "error")
    return redirect(url_for(endpoint, item_id=item_id))


@bp.get("/evidence/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    """An evidence file, for those who may see its item."""
    attachment, path = attachments.open_for(get_session(), current_user, attachment_id)
    return send_download(path, attachment.filename, attachment.content_type)
