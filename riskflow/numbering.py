"""Generated codes (`BJ-007`, `SJ-2026-0001`, `XJ-2026-001`, 监建〔2026〕7号): one counter row per series and scope.

Reading the highest code in use and inserting the next one lets two writers take the same number; the
counter is taken with one `UPDATE … SET last = last + n RETURNING last` instead. On PostgreSQL the row
stays locked until the taker commits, so the next writer waits and reads the new value; on SQLite the
statement takes the database's write lock, which the busy timeout waits for. A transaction that rolls
back gives its numbers back. The first use of a scope starts the counter after the highest code
already in use (data from before the counter, an import, a restored backup), and a code someone typed
by hand is skipped, never handed out twice.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, String, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base


class CodeCounter(Base):
    """The last number handed out in one series and scope (a unit's risks, a year's incidents)."""

    __tablename__ = "code_counters"

    series: Mapped[str] = mapped_column(String(20), primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class Series:
    """A kind of generated code: PATTERN has `{scope}` and `{n}` (with its format), COLUMN holds the codes."""

    name: str
    pattern: str
    column: object

    def code(self, scope: str, number: int) -> str:
        return self.pattern.format(scope=scope, n=number)

    def _affixes(self, scope: str) -> tuple[str, str]:
        head, _, tail = self.pattern.partition("{n")
        return head.format(scope=scope), tail.partition("}")[2]

    def highest_in_use(self, session: Session, scope: str) -> int:
        """The highest number among the codes of SCOPE already stored."""
        prefix, suffix = self._affixes(scope)
        numbers = (code[len(prefix):len(code) - len(suffix)]
                   for code in session.scalars(select(self.column).where(self.column.like(prefix + "%")))
                   if code.startswith(prefix) and code.endswith(suffix))
        return max((int(n) for n in numbers if n.isdigit()), default=0)


def _take(session: Session, series: Series, scope: str, count: int) -> int:
    """Move SCOPE's counter on by COUNT; returns the last number taken."""
    step = (update(CodeCounter).where(CodeCounter.series == series.name, CodeCounter.scope == scope)
            .values(last=CodeCounter.last + count).returning(CodeCounter.last)
            .execution_options(synchronize_session=False))
    last = session.scalar(step)
    if last is None:
        # The scope's first code: start after the highest one stored. A writer that creates the row at the
        # same moment makes this insert do nothing (PostgreSQL waits for it to commit first), and the step
        # then moves that row on.
        start = series.highest_in_use(session, scope)
        session.execute(_insert(session).values(series=series.name, scope=scope, last=start).on_conflict_do_nothing())
        last = session.scalar(step)
    return last


def _insert(session: Session):
    """INSERT with ON CONFLICT, in the dialect of the session's database (SQLite or PostgreSQL)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return insert(CodeCounter)


def next_codes(session: Session, series: Series, scope: str, count: int = 1, also_taken=frozenset()) -> list[str]:
    """COUNT new codes of SERIES in SCOPE, none of them in use (nor in ALSO_TAKEN), reserved until the
    transaction ends."""
    codes: list[str] = []
    while len(codes) < count:
        wanted = count - len(codes)
        last = _take(session, series, scope, wanted)
        fresh = [series.code(scope, n) for n in range(last - wanted + 1, last + 1)]
        taken = set(session.scalars(select(series.column).where(series.column.in_(fresh))))
        codes += [code for code in fresh if code not in taken and code not in also_taken]
    return codes


def next_code(session: Session, series: Series, scope: str) -> str:
    """One new code of SERIES in SCOPE."""
    return next_codes(session, series, scope)[0]
