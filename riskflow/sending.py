"""Sending queued messages once, whoever sends: the one claim-send-retry loop of the mail outbox and the group
robots' messages.

A row is due when `queued` and its next attempt has come, or `sending` under a claim older than the lease
(RISKFLOW_REPORT_LEASE_SECONDS: the process that claimed it died). Each row is claimed (queued -> sending,
committed) before it is sent, so however many processes send at once, one of them sends it. A failure counts
an attempt, keeps the error and backs off 2^attempts minutes (at most MAX_BACKOFF); with MAX_ATTEMPTS the row is
`failed` after the last one. Commits after each step."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from .db import utcnow

MAX_BACKOFF = timedelta(hours=6)


def send_due(session: Session, model, send, failures: tuple, *, now: datetime | None = None,
             max_attempts: int | None = None, log: logging.Logger, what: str,
             destination=None) -> tuple[int, int]:
    """Send every due row of MODEL (a table with the columns state, attempts, last_error, next_attempt_at,
    claimed_by, claimed_at, sent_at) with SEND(row); an exception of FAILURES is a failed attempt. Returns
    (delivered, failed).

    DESTINATION(row), when given, says where the claimed row goes now: None cancels it (`cancelled`, not sent:
    its destination was taken away), and a destination that failed earlier in this run leaves the row for the
    next run, no attempt counted (one dead receiver costs one timeout per run, not one per row)."""
    now = now or utcnow()
    lease = timedelta(seconds=current_app.config.get("REPORT_LEASE_SECONDS", 900))
    me = uuid.uuid4().hex
    due = or_(and_(model.state == "queued", model.next_attempt_at <= now),
              and_(model.state == "sending", model.claimed_at < utcnow() - lease))
    ids = list(session.scalars(select(model.id).where(due).order_by(model.id)))
    session.commit()
    delivered = failed = 0
    down: set = set()  # the destinations that failed in this run
    for row_id in ids:
        claim = session.execute(update(model).where(model.id == row_id, due)
                                .values(state="sending", claimed_by=me, claimed_at=utcnow())
                                .execution_options(synchronize_session=False))
        session.commit()
        if claim.rowcount != 1:
            continue  # another process has it, or sent it meanwhile
        row = session.get(model, row_id)
        target = destination(row) if destination is not None else None
        if destination is not None and target is None:
            row.state, row.last_error = "cancelled", "no destination any more"
            log.info("%s %s cancelled: no destination any more", what, row.id)
            session.commit()
            continue
        if target is not None and target in down:
            row.state = "queued"  # its receiver failed a moment ago: the next run tries again
            session.commit()
            continue
        try:
            send(row)
        except failures as exc:
            row.attempts += 1
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if max_attempts is not None and row.attempts >= max_attempts:
                row.state = "failed"
            else:
                row.state = "queued"
                row.next_attempt_at = now + min(timedelta(minutes=2 ** row.attempts), MAX_BACKOFF)
            log.warning("%s %s not delivered (attempt %s): %s", what, row.id, row.attempts, exc)
            failed += 1
            if target is not None:
                down.add(target)
        else:
            row.state, row.sent_at = "sent", utcnow()
            delivered += 1
        session.commit()
    return delivered, failed
