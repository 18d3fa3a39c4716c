"""Tables of the budget indicators: definitions, each year's targets and budgets, monthly values."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Unit, User
from ..db import Base, UTCDateTime, utcnow
from ..register.models import Risk
from . import rules

MONTHS = tuple(range(1, 13))


class Indicator(Base):
    """A budget indicator of a unit (or of the whole company), judged each month by its rule."""

    __tablename__ = "indicators"
    HISTORY_ENTITY = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    measure: Mapped[str] = mapped_column(String(16), default="")
    rule: Mapped[str] = mapped_column(String(16))
    carry_over: Mapped[bool] = mapped_column(Boolean, default=False)
    # The sales plan line it reports (revenue, profit, collection) in 销售业绩进展, or None.
    plan: Mapped[str | None] = mapped_column(String(16))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moves on with every edit: an edit based on an older read is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    unit: Mapped[Unit | None] = relationship(lazy="joined")
    owner: Mapped[User | None] = relationship(lazy="joined")
    risk: Mapped[Risk | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def ytd_adds_up(self) -> bool:
        """True when the year to date of this indicator's values means something: an amount, or the sum the
        time-progress rule judges."""
        return self.rule == "behind_progress" or rules.adds_up(self.measure)

    def scope_unit_ids(self) -> set[int] | None:
        """A unit's indicator belongs to that unit; one without a unit to the whole company."""
        return {self.unit_id} if self.unit_id is not None else None


class IndicatorTarget(Base):
    """An indicator's annual target and twelve monthly budgets for one year (any of them may be missing)."""

    __tablename__ = "indicator_targets"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    annual: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m01: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m02: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m03: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m04: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m05: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m06: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m07: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m08: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m09: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m10: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m11: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    m12: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def monthly(self) -> list[Decimal | None]:
        return [getattr(self, f"m{m:02d}") for m in MONTHS]

    @monthly.setter
    def monthly(self, budgets) -> None:
        for m, budget in zip(MONTHS, budgets):
            setattr(self, f"m{m:02d}", budget)


class IndicatorValue(Base):
    """An indicator's value for one month, with what its rule compared it with (kept for lists and reports;
    recomputed for the later months of the year whenever a value or a target of that year changes)."""

    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    ytd: Mapped[Decimal | None] = mapped_column(Numeric(22, 4))
    compared_with: Mapped[Decimal | None] = mapped_column(Numeric(22, 4))
    variance: Mapped[Decimal | None] = mapped_column(Numeric(22, 4))
    breached: Mapped[bool] = mapped_column(Boolean)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
