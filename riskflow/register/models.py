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

RESPONSE_STRATEGIES = ("avoid", "reduce", "share", "accept")
RISK_STATUSES = ("active", "retired")
WARNING_STATUSES = ("open", "in_progress", "done")
WARNING_REASONS = ("level", "escalated", "indicator")
DIRECTIONS = ("above", "below")


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
    """A warning raised for a risk in a period, with its response and progress."""

    __tablename__ = "warnings"
    __table_args__ = (UniqueConstraint("risk_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    level: Mapped[str | None] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(12))
    previous_level: Mapped[str | None] = mapped_column(String(12))
    response: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Moves on with every write: a response saved on a stale page, or over a regrade, is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    risk: Mapped[Risk] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def unit_id(self) -> int:
        return self.risk.unit_id


class Indicator(Base):
    """A key risk indicator: warns when its value is above or below the threshold."""

    __tablename__ = "indicators"
    HISTORY_ENTITY = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(5))
    threshold: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moves on with every edit: an edit based on an older read is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    risk: Mapped[Risk | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def scope_unit_ids(self) -> set[int] | None:
        """An indicator linked to a risk belongs to the risk's unit; otherwise to the whole company."""
        return {self.risk.unit_id} if self.risk else None


class IndicatorValue(Base):
    """An indicator's value for one month."""

    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    breached: Mapped[bool] = mapped_column(Boolean)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GradingRound(Base):
    """A month's grading round: opened by the risk manager, locked at its deadline."""

    __tablename__ = "grading_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7), unique=True)
    deadline: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
