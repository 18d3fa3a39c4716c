"""Sending what `notify` queued: mails at once, the daily digest, and the group robots' messages.

Mails go through the outbox (riskflow.mail: claim before send, retry). Group messages are claimed the same
way, POSTed as the text message both 企业微信 and 钉钉 robots accept, and retried with backoff; after
MAX_ATTEMPTS a message is `failed` and shown to the administrator. However many processes deliver at once,
each message is sent by one of them."""
from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from collections import defaultdict
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import ngettext
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import mail, sending
from ..auth.models import Unit, User
from ..db import utcnow
from . import kinds, service
from .models import Notification, WebhookDelivery

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10


def _language(user: User) -> str:
    return user.language or current_app.config["LANGUAGE"]


def _mail_state(active: bool, email: str | None, sent: str) -> str:
    """What becomes of a notification's mail: nothing for a user deactivated since it was raised (who has left
    reads no more of the company's news), `no_address` for one without an address, else SENT."""
    if not active:
        return "inactive"
    return sent if email else "no_address"


def queue_mails(session: Session) -> int:
    """Hand every `pending` notification (mail at once) to the outbox, in its reader's language; returns how
    many. A user without an address keeps it in the inbox (`no_address`, logged). Each notification is
    claimed (pending → queued) in the transaction that queues its mail, so two processes running this at
    once queue it once: the other's claim finds it no longer pending."""
    rows = session.execute(select(Notification.id, Notification.user_id, Notification.kind, Notification.params,
                                  Notification.link).where(Notification.mail_state == "pending")
                           .order_by(Notification.id).limit(1000)).all()
    users = {u.id: (u.username, u.email, _language(u), u.active) for u in session.scalars(
        select(User).where(User.id.in_({r.user_id for r in rows})))}
    session.commit()  # no snapshot held while claiming: each claim below reads the row as it is now
    queued = 0
    for row in rows:
        username, email, language, active = users[row.user_id]
        claim = session.execute(update(Notification).where(Notification.id == row.id,
                                                           Notification.mail_state == "pending")
                                .values(mail_state=_mail_state(active, email, "queued"))
                                .execution_options(synchronize_session=False))
        if claim.rowcount != 1:
            session.rollback()
            continue
        if not active:
            log.info("notification %s: user %s was deactivated; not mailed", row.id, username)
        elif not email:
            log.warning("notification %s: user %s has no email address; it stays in the inbox", row.id, username)
        else:
            with force_locale(language):
                subject = kinds.title(row.kind, row.params)
                body = service.message_text(row.kind, row.params, row.link) + "\n\nriskflow"
            mail.queue(session, email, subject, body, dedupe_key=f"notification:{row.id}")
            queued += 1
        session.commit()
    return queued


def queue_digests(session: Session, before: datetime) -> int:
    """One mail to each user with `digest` notifications made before BEFORE (the start of today): everything
    waiting, grouped by kind, in the user's language. Returns how many mails. Once per user and day: the
    mail's dedupe key holds however many processes run it. What the reader has already read in the app is not
    mailed again."""
    waiting = (Notification.mail_state == "digest", Notification.created_at < before)
    session.execute(update(Notification).where(*waiting, Notification.read_at.is_not(None)).values(mail_state=None)
                    .execution_options(synchronize_session=False))
    rows = list(session.scalars(select(Notification).where(*waiting, Notification.read_at.is_(None))
                                .order_by(Notification.user_id, Notification.kind, Notification.id)))
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for row in rows:
        by_user[row.user_id].append(row)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(by_user)))}
    sent = 0
    day = before.date().isoformat()
    for user_id, items in by_user.items():
        user = users[user_id]
        if not user.active or not user.email:
            state = _mail_state(user.active, user.email, "queued")
        else:
            with force_locale(_language(user)):
                subject = ngettext("riskflow: %(num)d notification", "riskflow: %(num)d notifications", len(items))
                body = digest_body(items)
            mail.queue(session, user.email, subject, body, dedupe_key=f"digest:{user_id}:{day}")
            state, sent = "queued", sent + 1
        session.execute(update(Notification).where(Notification.id.in_([r.id for r in items]))
                        .values(mail_state=state).execution_options(synchronize_session=False))
    session.commit()
    return sent


def digest_body(items: list[Notification]) -> str:
    """The digest's text: a heading per kind, one line per notification with its link."""
    groups: dict[str, list[Notification]] = defaultdict(list)
    for row in items:
        groups[row.kind].append(row)
    lines = []
    for kind in kinds.KINDS:
        if kind not in groups:
            continue
        lines.append(f"{kinds.label(kind)} ({len(groups[kind])})")
        for row in groups[kind]:
            lines.append(f"- {service.title(row)}")
            if row.link:
                lines.append(f"  {service.absolute(row.link)}")
        lines.append("")
    lines.append("riskflow")
    return "\n".join(lines)


def _post(url: str, content: str) -> None:
    """POST the robot's text message; an HTTP error, a refused connection or a robot's errcode raises."""
    data = json.dumps({"msgtype": "text", "text": {"content": content}}, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) only)
        answer = response.read(65536)
    try:
        code = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0
    if code not in (0, None):
        raise ValueError(f"the robot answered errcode {code}: {answer[:200].decode(errors='replace')}")


def robot_url(session: Session, unit_id: int | None) -> str | None:
    """The group robot's address as it is configured now: the unit's, or for a company-wide message (UNIT_ID
    None) RISKFLOW_WEBHOOK_URL. A message goes where its group's robot is when it is sent, so an address the
    administrator corrected or removed (another group's, by mistake) receives nothing more."""
    if unit_id is None:
        return current_app.config.get("WEBHOOK_URL") or None
    return session.scalar(select(Unit.webhook_url).where(Unit.id == unit_id)) or None


def deliver_webhooks(session: Session, now: datetime | None = None) -> tuple[int, int]:
    """POST every due group message; returns (delivered, failed). Claimed before sending and retried with
    backoff like the mail outbox (riskflow.sending); `failed` after MAX_ATTEMPTS. Each goes to its group's robot
    as it is configured when it is sent (`cancelled` when there is none any more), and a robot that fails is
    tried once per run: its other messages wait for the next run."""

    def robot(row: WebhookDelivery) -> str | None:
        url = robot_url(session, row.unit_id)
        if url:
            row.url = url  # where it last went
        return url

    # http.client's own errors too: a port answering something that is not HTTP is a failed attempt, not a job
    # stopped with the message left `sending` (never counted, claimed again after every lease).
    return sending.send_due(session, WebhookDelivery, lambda row: _post(row.url, row.content),
                            (OSError, ValueError, urllib.error.URLError, http.client.HTTPException), now=now,
                            max_attempts=MAX_ATTEMPTS, log=log, what="webhook", destination=robot)


def run(session: Session, now: datetime | None = None) -> dict:
    """The delivery job's work: queue the mails at once, send the outbox and the group messages."""
    queued = queue_mails(session)
    # The mails just queued are due at once, whatever earlier moment the job was started for.
    sent, unsent = mail.deliver_pending(session, max(now, utcnow()) if now else None)
    posted, unposted = deliver_webhooks(session, now)
    return {"queued": queued, "mailed": sent, "mail_failed": unsent, "posted": posted, "post_failed": unposted}
