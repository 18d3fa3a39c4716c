"""The caller's notifications (the inbox) and their choice of channel per kind."""
from __future__ import annotations

from flask import current_app, request
from flask_babel import force_locale

from ..db import get_session
from ..notifications import service
from .core import bp, caller, document, json_body, paginate


def notification_json(row) -> dict:
    return {"id": row.id, "kind": row.kind, "title": service.title(row), "link": row.link,
            "created_at": row.created_at.isoformat(), "read": row.read_at is not None}


def _language() -> str:
    return caller().language or current_app.config["LANGUAGE"]


@bp.get("/notifications")
@document("The caller's notifications, newest first (filter unread=true); titles in the caller's language",
          response="Notification", paged=True, errors=(401, 422), params=(("unread", False, "boolean"),))
def list_notifications():
    db = get_session()
    unread = request.args.get("unread") in ("true", "1")
    with force_locale(_language()):
        return paginate(db, service.query(caller(), unread), notification_json)


@bp.post("/notifications/<int:notification_id>/read")
@document("Mark one of the caller's notifications read", response="Notification", errors=(401, 404))
def read_notification(notification_id: int):
    db = get_session()
    row = service.mark_read(db, caller(), notification_id)
    db.commit()
    with force_locale(_language()):
        return notification_json(row)


@bp.post("/notifications/read-all")
@document("Mark all the caller's notifications read; returns how many were unread",
          response="NotificationsRead", errors=(401,))
def read_all_notifications():
    db = get_session()
    count = service.mark_all_read(db, caller())
    db.commit()
    return {"read": count}


@bp.get("/notifications/channels")
@document("The caller's channel for each kind: app, mail (at once) or digest (daily)",
          response="NotificationChannels", errors=(401,))
def notification_channels():
    return {"channels": service.channels_of(get_session(), caller())}


@bp.patch("/notifications/channels")
@document("Choose the channel of some kinds (the others keep theirs)", request_schema="NotificationChannelsPatch",
          response="NotificationChannels", errors=(400, 401, 422))
def set_notification_channels():
    db = get_session()
    channels = service.set_channels(db, caller(), json_body().get("channels"))
    db.commit()
    return {"channels": channels}
