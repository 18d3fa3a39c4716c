"""The report archive."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db import Base, UTCDateTime, utcnow

KINDS = ("monthly", "quarterly", "annual")
# The execution-progress report (《…执行进度》) of a month's warnings: made with the monthly report, its own PDF.
PROGRESS = "progress"
ALL_KINDS = KINDS + (PROGRESS,)
# A monthly report is a draft until the risk manager issues it; the other kinds are issued when made.
STATUSES = ("draft", "issued")


class Report(Base):
    """One revision of a report. The row is the claim: it is inserted before the PDF is built, so the
    unique (kind, period, revision) lets only one process build it; `ready` marks a finished file."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("kind", "period", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    period: Mapped[str] = mapped_column(String(7), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default="generating")
    language: Mapped[str] = mapped_column(String(8), default="zh_CN")
    filename: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_name: Mapped[str] = mapped_column(String(200), default="system")
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reviewed before it goes out: the risk manager's analysis (风险分析与管理建议), then issuing (签发).
    status: Mapped[str] = mapped_column(String(12), default="issued", server_default="issued")
    commentary: Mapped[str] = mapped_column(Text, default="", server_default="")
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_by_name: Mapped[str | None] = mapped_column(String(200))
    # The same report as an editable Word document, beside the PDF in the archive.
    docx_filename: Mapped[str | None] = mapped_column(String(120))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id], lazy="joined")
