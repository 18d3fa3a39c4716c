"""The action table."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Unit, User
from ..db import Base, UTCDateTime, utcnow
from ..workflow.store import runs

# States in which an action is still someone's work: it blocks the warning's confirmation and can be overdue.
OPEN_STATES = ("open", "in_progress", "submitted")
FINAL_STATES = ("done", "cancelled")
# The items an action may answer, each by its own column.
LINKS = ("risk_id", "warning_id", "incident_id", "meeting_id")


@runs("action")
class Action(Base):
    """One action (措施/整改任务): an owner, a due date, links to what it answers, and its workflow state.

    It belongs to its owner's unit (None: a company-wide action owned by the risk department)."""

    __tablename__ = "actions"
    HISTORY_ENTITY = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), index=True)
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("warnings.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("review_meetings.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    workflow_version: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The owner's report of what was done (required to submit), and the workflow's moments.
    report: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The escalation colour last announced by the daily job (the live colour is computed by escalation.colour).
    escalation: Mapped[str | None] = mapped_column(String(10))
    escalated_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")
    unit: Mapped[Unit | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def scope_unit_ids(self) -> set[int]:
        """The owner's unit; the risk department's own action (no unit) is no unit's to read, as the list
        (service.query) shows a unit's roles only their own unit's."""
        return set() if self.unit_id is None else {self.unit_id}

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
