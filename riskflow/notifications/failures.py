"""What could not go out, as the administrator sees it: group messages that failed or are being retried,
mails of the outbox still waiting after a failed attempt, and the people whose notifications could not be
mailed for want of an address. Each notification stays in its reader's inbox whatever happens here."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from .. import mail
from ..auth import policy
from ..auth.models import User
from ..db import utcnow
from ..errors import Conflict, NotFound
from ..main.tasks import Task, provider
from . import delivery
from .models import Notification, WebhookDelivery

log = logging.getLogger(__name__)
LIMIT = 200


@dataclass
class NoAddress:
    """A user whose notifications could not be mailed: how many, and the newest."""

    user: User
    count: int
    latest: datetime


@dataclass
class Failures:
    webhooks: list[WebhookDelivery]
    mails: list[mail.MailMessage]
    no_address: list[NoAddress]


def failures(session: Session, actor) -> Failures:
    """The newest LIMIT of each kind of failure (administrators)."""
    policy.require(actor, "delivery.manage")
    webhooks = list(session.scalars(select(WebhookDelivery).where(or_(
        WebhookDelivery.state == "failed",
        and_(WebhookDelivery.state == "queued", WebhookDelivery.attempts > 0))).order_by(
        WebhookDelivery.id.desc()).limit(LIMIT)))
    mails = list(session.scalars(select(mail.MailMessage).where(
        mail.MailMessage.state == "queued", mail.MailMessage.attempts > 0).order_by(
        mail.MailMessage.id.desc()).limit(LIMIT)))
    counted = session.execute(select(Notification.user_id, func.count(), func.max(Notification.created_at))
                              .where(Notification.mail_state == "no_address")
                              .group_by(Notification.user_id)).all()
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_([row[0] for row in counted])))}
    no_address = sorted((NoAddress(users[user_id], count, latest) for user_id, count, latest in counted),
                        key=lambda row: row.user.username)[:LIMIT]
    return Failures(webhooks, mails, no_address)


def first_line(text: str) -> str:
    """The first line of a message: its title."""
    return (text or "").split("\n", 1)[0]


def retry_webhook(session: Session, actor, delivery_id: int) -> WebhookDelivery:
    """Send a failed (or backing-off) group message at the next delivery run: queued again, due now, its
    attempts kept (so one more failure of a message past the last attempt fails it again)."""
    policy.require(actor, "delivery.manage")
    row = session.get(WebhookDelivery, delivery_id)
    if row is None:
        raise NotFound(_l("Not found."))
    if row.state not in ("failed", "queued"):
        raise Conflict(_l("This message is being sent or was sent already."))
    if not delivery.robot_url(session, row.unit_id):
        raise Conflict(_l("This group has no robot any more: the message is not sent again."))
    row.state, row.next_attempt_at = "queued", utcnow()
    session.flush()
    log.info("webhook %s queued again by %s after %s attempts", row.id, getattr(actor, "label", actor), row.attempts)
    return row


@provider
def delivery_tasks(session: Session, user) -> list[Task]:
    """The administrator's line of "waiting on me": group messages that failed for good (a robot to fix)."""
    if not policy.can(user, "delivery.manage"):
        return []
    failed = session.scalar(select(func.count()).select_from(WebhookDelivery)
                            .where(WebhookDelivery.state == "failed")) or 0
    return [Task(ngettext("%(num)s group robot message could not be delivered",
                          "%(num)s group robot messages could not be delivered", failed),
                 failed, url_for("auth.deliveries"), urgent=True)]
