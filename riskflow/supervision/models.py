"""Tables of efficiency supervision."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (Boolean, Column, Date, ForeignKey, Integer, Numeric, String, Table, Text, UniqueConstraint,
                        func, select)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from ..auth.models import Unit, User
from ..db import Base, JSONType, UTCDateTime, utcnow
from ..workflow.store import runs

if TYPE_CHECKING:
    from ..register.models import Risk

# 公司统一立项 (set by the inspection office) or 所属企业自选立项 (proposed by a unit's head).
ORIGINS = ("company", "unit")
BENEFIT_KINDS = ("cost_reduction", "recovered", "avoided_loss", "other")
# A benefit typed on the filing form (the API's `economic_benefit`) is recorded as an entry of this kind and note.
FILED_BENEFIT = ("other", "立项时登记的直接经济效益")
# The mid-year inspection's methods (听取汇报/查阅资料/查勘现场/座谈) and ratings.
INSPECTION_METHODS = ("report", "documents", "site", "forum")
INSPECTION_RATINGS = ("good", "fair", "average", "poor")
RISK_PROPOSAL_KINDS = ("new", "regrade")
RISK_PROPOSAL_STATES = ("proposed", "accepted", "declined")
METHODS = ("document_analysis", "efficiency_audit", "target_assessment")
ESCALATIONS = ("blue", "yellow", "red")

project_risks = Table(
    "supervision_project_risks",
    Base.metadata,
    Column("project_id", ForeignKey("supervision_projects.id", ondelete="CASCADE"), primary_key=True),
    Column("risk_id", ForeignKey("risks.id"), primary_key=True, index=True),
)
recommendation_risks = Table(
    "recommendation_risks",
    Base.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True),
    Column("risk_id", ForeignKey("risks.id"), primary_key=True, index=True),
)

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
    indirect_benefit: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), index=True)
    workflow_version: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    origin: Mapped[str] = mapped_column(String(10), default="company", server_default="company", index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead_unit: Mapped[Unit] = relationship(lazy="joined")
    participating_units: Mapped[list[Unit]] = relationship(secondary=project_units, lazy="selectin",
                                                           order_by=Unit.code)
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="project", lazy="selectin", order_by="Recommendation.id")
    # The risks its control points name (监督重点 ↔ 风险库).
    risks: Mapped[list[Risk]] = relationship("Risk", secondary=project_risks, lazy="selectin", order_by="Risk.code")

    # Moves on with every change (an edit or a step of the workflow): an edit based on an older read is refused.
    __mapper_args__ = {"version_id_col": version}

    def scope_unit_ids(self) -> set[int]:
        """A project concerns its lead unit (the proposing unit leads its own proposal), its participating
        units, the units it recommends to and those it sent a notice to."""
        units = {self.lead_unit_id} | {u.id for u in self.participating_units}
        return units | {r.responsible_unit_id for r in self.recommendations} | {
            n.recipient_unit_id for n in self.notices}


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
    # Raised from the mid-year inspection (None: from the monitoring itself).
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_inspections.id"), index=True)
    rectification_report: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation: Mapped[str | None] = mapped_column(String(10))
    escalated_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[SupervisionProject] = relationship(back_populates="recommendations", lazy="joined")
    responsible_unit: Mapped[Unit] = relationship(lazy="joined")
    # The risks its finding names.
    risks: Mapped[list[Risk]] = relationship("Risk", secondary=recommendation_risks, lazy="selectin",
                                             order_by="Risk.code")

    __mapper_args__ = {"version_id_col": version}

    @property
    def unit_id(self) -> int:
        return self.responsible_unit_id


class SupervisionKind(Base):
    """A kind of project (监察项目类别): a list the admin edits, shown in the reader's language."""

    __tablename__ = "supervision_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    label_zh: Mapped[str] = mapped_column(String(100))
    label_en: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SupervisionBenefit(Base):
    """One direct economic benefit (直接经济效益) a project produced, in yuan; the project's is their sum."""

    __tablename__ = "supervision_benefits"
    HISTORY_ENTITY = "supervision_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("supervision_projects.id"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[SupervisionProject] = relationship(lazy="joined")
    recommendation: Mapped[Recommendation | None] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship(lazy="joined")

    def scope_unit_ids(self) -> set[int]:
        """A benefit a recommendation produced concerns that recommendation's unit (the trust rule); another
        concerns its project's units."""
        if self.recommendation is not None:
            return {self.recommendation.responsible_unit_id}
        return self.project.scope_unit_ids()


# The project's direct economic benefit: always the sum of its benefit entries, read with the project.
SupervisionProject.economic_benefit = column_property(
    select(func.coalesce(func.sum(SupervisionBenefit.amount), 0))
    .where(SupervisionBenefit.project_id == SupervisionProject.id).correlate_except(SupervisionBenefit)
    .scalar_subquery(), deferred=False)


class SupervisionNotice(Base):
    """A 效能监察通知书 to a unit, numbered 监通〔YYYY〕N号 by the year it is issued."""

    __tablename__ = "supervision_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("supervision_projects.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    recipient_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[SupervisionProject] = relationship(lazy="joined")
    recipient_unit: Mapped[Unit] = relationship(lazy="joined")

    @property
    def unit_id(self) -> int:
        return self.recipient_unit_id


SupervisionProject.notices = relationship(SupervisionNotice, lazy="selectin", order_by=SupervisionNotice.id,
                                          viewonly=True)


class SupervisionPlan(Base):
    """The year's supervision plan (年度效能监察工作计划) and its four phases; a year without a row has the
    default dates (准备 2–3月, 实施 4–11月, 跟踪督导 6–11月 with the mid-year inspection in 6–7月, 总结 12–1月)."""

    __tablename__ = "supervision_plans"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    preparation_start: Mapped[date] = mapped_column(Date)
    preparation_end: Mapped[date] = mapped_column(Date)
    implementation_start: Mapped[date] = mapped_column(Date)
    implementation_end: Mapped[date] = mapped_column(Date)
    tracking_start: Mapped[date] = mapped_column(Date)
    tracking_end: Mapped[date] = mapped_column(Date)
    inspection_start: Mapped[date] = mapped_column(Date)
    inspection_end: Mapped[date] = mapped_column(Date)
    summary_start: Mapped[date] = mapped_column(Date)
    summary_end: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}


class SupervisionInspection(Base):
    """The mid-year inspection (年中督导检查) of one project: when, how, what was found and the rating."""

    __tablename__ = "supervision_inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("supervision_projects.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    methods: Mapped[list] = mapped_column(JSONType, default=list)
    findings: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[SupervisionProject] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class RiskProposal(Base):
    """A recommendation's finding proposing a new risk or a regrade to the risk manager, who accepts it into the
    register or declines it with a reason."""

    __tablename__ = "risk_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("risk_categories.id"))
    title: Mapped[str] = mapped_column(String(200), default="")
    likelihood: Mapped[int | None] = mapped_column(Integer)
    impact: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="proposed", index=True)
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    recommendation: Mapped[Recommendation] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
