"""The inbox pages: the bell in the top bar, the list of what happened, opening one and marking read."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import revision
from ..db import get_session
from ..web import paged, safe_next
from . import kinds, service

bp = Blueprint("notifications", __name__)

UNREAD = "unread"


def unread_notifications() -> int | None:
    """The signed-in user's unread count for the bell, none for anonymous pages: kept per data revision
    (riskflow.revision), so a page counts only after something was written, as the dashboard does."""
    if "unread_notifications" not in g:
        user = current_user._get_current_object()
        signed_in = getattr(user, "is_authenticated", False) and user.active
        db = get_session()
        g.unread_notifications = revision.cached(db, ("unread_notifications", user.id),
                                                 lambda: service.unread_count(db, user)) if signed_in else None
    return g.unread_notifications


@bp.app_context_processor
def bell() -> dict:
    # A function, so that only the pages that draw the bell (base.html) ask the database.
    return {"unread_notifications": unread_notifications}


def local_link(link: str | None) -> str | None:
    """LINK as a path on this site (under the app's mount point), or None when it leads anywhere else."""
    target = safe_next(link, "")
    return request.script_root + target if target else None


def _back() -> str:
    """Where a mark-read button returns: the list page it was pressed on."""
    return safe_next(request.form.get("back"), url_for("notifications.index"))


@bp.get("/notifications")
@login_required
def index():
    """The signed-in user's notifications, newest first, 50 a page; `show=unread` keeps the unread ones."""
    unread = request.args.get("show") == UNREAD
    listed = paged(get_session(), service.query(current_user, unread))
    rows = [{"row": row, "label": kinds.label(row.kind) if row.kind in kinds.KINDS else row.kind,
             "title": service.title(row), "openable": local_link(row.link) is not None} for row in listed.items]
    args = {"show": UNREAD} if unread else {}
    return render_template("notifications/list.html", listed=listed, rows=rows, unread=unread, args=args,
                           here=request.script_root + request.full_path.rstrip("?"))


@bp.post("/notifications/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int):
    """Mark one notification read and go to its page (a path on this site only; else back to the inbox)."""
    db = get_session()
    row = service.mark_read(db, current_user, notification_id)
    db.commit()
    target = local_link(row.link)
    if target is None:
        flash(_("This notification has no page to open."), "error")
        return redirect(url_for("notifications.index"))
    return redirect(target)


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    """Mark one notification read and stay on the list."""
    db = get_session()
    service.mark_read(db, current_user, notification_id)
    db.commit()
    return redirect(_back())


@bp.post("/notifications/read-all")
@login_required
def read_all():
    """Mark every unread notification of the signed-in user read."""
    db = get_session()
    count = service.mark_all_read(db, current_user)
    db.commit()
    flash(_("All notifications are marked read.") if count else _("There was nothing unread."), "info")
    return redirect(_back())
