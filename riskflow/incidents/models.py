"""Tables of the risk event library."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import false, Column, Date, ForeignKey, Integer, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Unit
from ..db import Base, UTCDateTime, utcnow
from ..register.models import Risk
from ..workflow.store import runs

KINDS = ("loss_event", "near_miss")
# Basel II's seven event types.
LOSS_TYPES = ("internal_fraud", "external_fraud", "employment_safety", "clients_products", "physical_assets",
              "disruption_systems", "execution_process")
SEVERITY_DIMENSIONS = ("reputation", "compliance", "safety", "environment", "operations")

incident_risks = Table(
    "incident_risks",
    Base.metadata,
    Column("incident_id", ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("risk_id", ForeignKey("risks.id"), primary_key=True),
)


@runs("incident")
class Incident(Base):
    """A loss event or near miss (风险事件), reviewed at the quarterly meeting."""

    __tablename__ = "incidents"
    HISTORY_ENTITY = "incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    discovered_on: Mapped[date] = mapped_column(Date)
    recorded_on: Mapped[date] = mapped_column(Date)
    quarter: Mapped[str] = mapped_column(String(7), index=True)
    loss_type: Mapped[str | None] = mapped_column(String(24))
    gross_loss: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=0)
    recoveries: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=0)
    reputation: Mapped[int] = mapped_column(Integer, default=0)
    compliance: Mapped[int] = mapped_column(Integer, default=0)
    safety: Mapped[int] = mapped_column(Integer, default=0)
    environment: Mapped[int] = mapped_column(Integer, default=0)
    operations: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    cause: Mapped[str] = mapped_column(Text, default="")
    handling: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    corrective_action: Mapped[str] = mapped_column(Text, default="")
    action_owner: Mapped[str] = mapped_column(String(100), default="")
    action_due: Mapped[date | None] = mapped_column(Date)
    action_done: Mapped[bool] = mapped_column(default=False)
    # Marked at a review meeting as a warning case (警示案例): every unit may read its title, cause, lessons
    # and loss, and every unit is told.
    warning_case: Mapped[bool] = mapped_column(default=False, server_default=false())
    state: Mapped[str] = mapped_column(String(20), index=True)
    workflow_version: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")
    risks: Mapped[list[Risk]] = relationship(secondary=incident_risks, lazy="selectin", order_by=Risk.code)

    # Moves on with every change (an edit or a step of the workflow): an edit based on an older read is refused.
    __mapper_args__ = {"version_id_col": version}

    @property
    def net_loss(self) -> Decimal:
        return self.gross_loss - self.recoveries


class IncidentRound(Base):
    """A quarter's collection: every unit reports its incidents or a nil return by the deadline."""

    __tablename__ = "incident_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7), unique=True)
    deadline: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    returns: Mapped[list[UnitReturn]] = relationship(lazy="selectin", back_populates="round")


class UnitReturn(Base):
    """A unit's answer to a quarter's collection: its incidents, or a nil report (零报告)."""

    __tablename__ = "incident_returns"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("incident_rounds.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    nil: Mapped[bool] = mapped_column(default=False)
    incidents: Mapped[int] = mapped_column(Integer, default=0)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_on: Mapped[date] = mapped_column(Date)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    round: Mapped[IncidentRound] = relationship(back_populates="returns")
    unit: Mapped[Unit] = relationship(lazy="joined")


class ReviewMeeting(Base):
    """A quarterly incident review meeting and its record."""

    __tablename__ = "review_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    attendees: Mapped[str] = mapped_column(Text, default="")
    conclusions: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[MeetingItem]] = relationship(lazy="selectin", back_populates="meeting",
                                                    order_by="MeetingItem.id")


class MeetingItem(Base):
    """An incident reviewed at a meeting, with the meeting's conclusion on it."""

    __tablename__ = "review_meeting_items"
    __table_args__ = (UniqueConstraint("meeting_id", "incident_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("review_meetings.id"))
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    conclusion: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[ReviewMeeting] = relationship(back_populates="items")
    incident: Mapped[Incident] = relationship(lazy="joined")


