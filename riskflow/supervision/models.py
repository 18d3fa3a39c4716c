"""Tables of efficiency supervision."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, ForeignKey, Integer, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Unit
from ..db import Base, UTCDateTime, utcnow
from ..workflow.store import runs

PROJECT_KINDS = (
    "major_decisions", "procurement", "budget", "financial_cost", "construction_cost", "large_funds",
    "tendering", "progress", "marketing", "sales_collection", "leasing", "process_building",
)
METHODS = ("document_analysis", "efficiency_audit", "target_assessment")
ESCALATIONS = ("blue", "yellow", "red")

project_units = Table(
    "supervision_project_units",
    Base.metadata,
    Column("project_id", ForeignKey("supervision_projects.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True),
)


@runs("supervision_project")
class SupervisionProject(Base):
    """An efficiency-supervision project (效能监察项目) and its filing form."""

    __tablename__ = "supervision_projects"
    HISTORY_ENTITY = "supervision_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    method: Mapped[str] = mapped_column(String(30))
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    control_points: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    economic_benefit: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=0)
    indirect_benefit: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), index=True)
    workflow_version: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead_unit: Mapped[Unit] = relationship(lazy="joined")
    participating_units: Mapped[list[Unit]] = relationship(secondary=project_units, lazy="selectin",
                                                           order_by=Unit.code)
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="project", lazy="selectin", order_by="Recommendation.id")

    # Moves on with every change (an edit or a step of the workflow): an edit based on an older read is refused.
    __mapper_args__ = {"version_id_col": version}

    def scope_unit_ids(self) -> set[int]:
        """A project concerns its lead unit, its participating units and the units it recommends to."""
        units = {self.lead_unit_id} | {u.id for u in self.participating_units}
        return units | {r.responsible_unit_id for r in self.recommendations}


@runs("recommendation")
class Recommendation(Base):
    """A supervision recommendation (监察建议) and its rectification by the responsible unit."""

    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("letter_no"),)
    HISTORY_ENTITY = "recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("supervision_projects.id"), index=True)
    letter_no: Mapped[str] = mapped_column(String(40))
    finding: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str] = mapped_column(Text)
    responsible_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    workflow_version: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    rectification_report: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation: Mapped[str | None] = mapped_column(String(10))
    escalated_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[SupervisionProject] = relationship(back_populates="recommendations", lazy="joined")
    responsible_unit: Mapped[Unit] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def unit_id(self) -> int:
        return self.responsible_unit_id
