"""A notification is one user's line in the inbox; a webhook delivery is one message to one group robot."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Unit, User
from ..db import Base, JSONType, UTCDateTime, utcnow

# What becomes of a notification's mail: none (in the app only), `pending` (mail at once, not queued yet),
# `digest` (waits for the day's digest), `queued` (handed to the outbox), `no_address` (the user has none),
# `inactive` (the user was deactivated before it was mailed: it is not).
MAIL_STATES = ("pending", "digest", "queued", "no_address", "inactive")


class Notification(Base):
    """Something that happened which USER must know: KIND about one item, with the parameters of its title."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    # The item it is about ("action", 12) and the unit it belongs to (None: company-wide).
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    params: Mapped[dict] = mapped_column(JSONType, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")
    channel: Mapped[str] = mapped_column(String(10))
    mail_state: Mapped[str | None] = mapped_column(String(12), index=True)
    # Raised once: the same event for the same user is not stored twice (a reminder of one day, an item's event).
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="raise")


class NotificationSetting(Base):
    """A user's own choice of channel for one kind (without one, the kind's default for the role)."""

    __tablename__ = "notification_settings"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))


class WebhookDelivery(Base):
    """One text message to a 企业微信/钉钉 group robot: a unit's webhook_url, or RISKFLOW_WEBHOOK_URL for the
    company-wide ones (unit None). Queued with the change, claimed before it is sent, retried with backoff;
    `failed` after the last attempt, shown to the administrator; `cancelled` when its group's robot was removed
    before it was sent (it goes to the robot's address as it is when sent: `url` is where it last went)."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40))
    content: Mapped[str] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit | None] = relationship(lazy="joined")
