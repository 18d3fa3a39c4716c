"""The demo company's inbox: its years of history are made in one moment, so every notice of them would be
unread and waiting for mail. A company that has used riskflow has read its old notices and had their mail."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..db import utcnow
from .models import Notification

UNREAD = 5  # the newest notices each demo user still has to read


def settle(session: Session) -> None:
    """Mark all but each user's UNREAD newest notifications read, and none waiting for mail or a digest."""
    rank = func.row_number().over(partition_by=Notification.user_id, order_by=Notification.id.desc())
    newest = select(Notification.id, rank.label("rank")).subquery()
    keep = select(newest.c.id).where(newest.c.rank <= UNREAD)
    session.execute(update(Notification).where(Notification.id.not_in(keep)).values(read_at=utcnow())
                    .execution_options(synchronize_session=False))
    session.execute(update(Notification).values(mail_state=None).execution_options(synchronize_session=False))
