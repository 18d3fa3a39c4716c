"""Tables of the risk register."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Unit, User
from ..db import Base, JSONType, UTCDateTime, utcnow
from ..workflow.store import runs

RESPONSE_STRATEGIES = ("avoid", "reduce", "share", "accept")
RISK_STATUSES = ("active", "retired")
WARNING_STATUSES = ("open", "in_progress", "done")
WARNING_REASONS = ("level", "escalated", "indicator")
WARNING_CAUSES = ("internal", "external")


class GradingStandard(Base):
    """One version of the grading standard; the newest is in force."""

    __tablename__ = "grading_standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    definition: Mapped[dict] = mapped_column(JSONType)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Category(Base):
    """A risk category: five top-level SASAC categories and their subcategories."""

    __tablename__ = "risk_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("risk_categories.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Category | None] = relationship(remote_side=[id], lazy="joined")


class Risk(Base):
    """A risk in the register, owned by one unit."""

    __tablename__ = "risks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category_id: Mapped[int] = mapped_column(ForeignKey("risk_categories.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    owner: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    causes: Mapped[str] = mapped_column(Text, default="")
    response_strategy: Mapped[str | None] = mapped_column(String(10))
    measures: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    # The newest grade's month and level, kept by assessments.note_latest: lists filter on them by index.
    latest_period: Mapped[str | None] = mapped_column(String(7))
    latest_level: Mapped[str | None] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship(lazy="joined")
    unit: Mapped[Unit] = relationship(lazy="joined")

    __table_args__ = (Index("ix_risks_latest_level_unit", "latest_level", "unit_id", "code"),)
    __mapper_args__ = {"version_id_col": version}


class Assessment(Base):
    """A risk's grade for one month, kept with the standard version it was made under."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("risk_id", "period"),
        # A month's heat map reads this index alone; its ranking walks the other in order and stops at the top.
        Index("ix_assessments_period_cell", "period", "likelihood", "impact", "level", "risk_id"),
        Index("ix_assessments_period_rank", "period", "score", "impact", "likelihood"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    likelihood: Mapped[int]
    impact: Mapped[int]
    impacts: Mapped[dict | None] = mapped_column(JSONType)
    score: Mapped[int]
    level: Mapped[str] = mapped_column(String(12))
    standard_id: Mapped[int] = mapped_column(ForeignKey("grading_standards.id"))
    rationale: Mapped[str] = mapped_column(Text, default="")
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # Moves on with every write of the row (a revision, or a round's bulk change): a stale save is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    risk: Mapped[Risk] = relationship(lazy="joined")
    assessed_by: Mapped[User | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def unit_id(self) -> int:
        return self.risk.unit_id


class RiskWarning(Base):
    """A warning raised in a period for a risk, or for a budget indicator linked to no risk, with the owning
    unit's response and progress (and, for an indicator's miss, its cause and explanation)."""

    __tablename__ = "warnings"
    __table_args__ = (UniqueConstraint("risk_id", "period"), UniqueConstraint("indicator_id", "period"))

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), index=True)
    # Set only on the warning of an indicator linked to no risk: the indicator is then what is warned.
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    level: Mapped[str | None] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(12))
    previous_level: Mapped[str | None] = mapped_column(String(12))
    response: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="open")
    # Why a budget indicator missed (内部可控 / 外部因素), and the unit's explanation of it.
    cause: Mapped[str | None] = mapped_column(String(12))
    explanation: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Moves on with every write: a response saved on a stale page, or over a regrade, is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    risk: Mapped[Risk | None] = relationship(lazy="joined")
    indicator: Mapped["Indicator | None"] = relationship("Indicator", lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def subject(self):
        """What is warned: the risk, or the indicator linked to none."""
        return self.risk if self.risk is not None else self.indicator

    @property
    def code(self) -> str:
        return self.subject.code

    @property
    def title(self) -> str:
        return self.risk.title if self.risk is not None else self.indicator.name

    @property
    def unit(self) -> Unit | None:
        """The unit that answers: the risk's, or the indicator's (None for a company-wide indicator)."""
        return self.subject.unit

    @property
    def unit_id(self) -> int | None:
        return self.subject.unit_id

    def scope_unit_ids(self) -> set[int] | None:
        return None if self.unit_id is None else {self.unit_id}


class GradingRound(Base):
    """A month's grading round: opened by the risk manager, locked at its deadline."""

    __tablename__ = "grading_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7), unique=True)
    deadline: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@runs("grading_sheet")
class GradingSheet(Base):
    """A unit's grading sheet for one round, signed off: the officer submits it, the unit head confirms it,
    the risk manager accepts or returns it. Past `grading`, the unit's grades for the month are frozen."""

    __tablename__ = "grading_sheets"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)
    HISTORY_ENTITY = "grading_sheet"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grading_rounds.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    workflow_version: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Why the sheet was last returned (shown to the unit until it is submitted again).
    returned_reason: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    round: Mapped[GradingRound] = relationship(lazy="joined")
    unit: Mapped[Unit] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class RoundReopening(Base):
    """A closed round reopened for one unit, with the reason and a new deadline."""

    __tablename__ = "grading_round_reopenings"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grading_rounds.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    reason: Mapped[str] = mapped_column(String(1000))
    deadline: Mapped[date] = mapped_column(Date)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImportJob(Base):
    """An uploaded file being imported in the background, with its progress and outcome."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str | None] = mapped_column(String(7))
    filename: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    errors: Mapped[dict | None] = mapped_column(JSONType)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
