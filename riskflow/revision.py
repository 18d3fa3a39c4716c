"""One row that every committed change moves on, and an in-process cache keyed on it.

A session that wrote anything (through the ORM or a bulk statement) adds one to `data_revision.n` and
draws a new random `stamp` just before it commits, in the same transaction. A reader that finds the same
stamp knows nothing changed, in this process or any other, so what it computed for that stamp still
holds: the dashboard keeps its parts that way. The stamp, unlike the number, names one state of one
database, so another database (or a restored backup) never meets a value cached for a different state.
The row is the last lock a writer takes, held only for its commit. A change made beside the app (SQL
typed by hand) does not move it: the dashboard shows it after the next write through the app.
"""
from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from typing import Callable

from sqlalchemy import BigInteger, String, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from . import defaults, periods
from .db import Base

CHANGED = "riskflow.changed"
SEEN = "riskflow.revision_seen"
CACHE_SIZE = 512


class DataRevision(Base):
    """The one row whose number moves on with each committed change."""

    __tablename__ = "data_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
    stamp: Mapped[str] = mapped_column(String(32))


@event.listens_for(Session, "after_flush")
def _note_flush(session, _context) -> None:
    if session.new or session.deleted or any(session.is_modified(obj) for obj in session.dirty):
        session.info[CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and not state.execution_options.get(CHANGED):
        state.session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _move_on(session) -> None:
    session.flush()  # commit flushes after this event: flush first so the change is seen here
    if session.info.pop(CHANGED, False):
        move_on = update(DataRevision).values(n=DataRevision.n + 1, stamp=uuid.uuid4().hex)
        session.execute(move_on.execution_options(**{CHANGED: True}))


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(CHANGED, None)
    session.info.pop(SEEN, None)


@event.listens_for(Session, "after_commit")
def _forget_seen(session) -> None:
    session.info.pop(SEEN, None)


@defaults.loader
def ensure_row(session: Session) -> None:
    """The counter's row exists (the migration adds it; this restores it if it was ever removed)."""
    if session.get(DataRevision, 1) is None:
        session.add(DataRevision(id=1, n=0, stamp=uuid.uuid4().hex))


def current(session: Session) -> str | None:
    """The stamp SESSION sees (read once per transaction); None if the row is missing, and then nothing
    is cached."""
    if SEEN not in session.info:
        session.info[SEEN] = session.scalar(select(DataRevision.stamp).where(DataRevision.id == 1))
    return session.info[SEEN]


_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def cached(session: Session, key: tuple, compute: Callable[[], object]):
    """COMPUTE()'s value for KEY, kept while the data and the date stay as they are.

    KEY must name everything else the value depends on (the user or scope, the language)."""
    stamp = current(session)
    if stamp is None:
        return compute()
    full = (stamp, periods.today(), *key)
    with _lock:
        if full in _cache:
            _cache.move_to_end(full)
            return _cache[full]
    value = compute()
    with _lock:
        _cache[full] = value
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def forget_all() -> None:
    """Empty the cache (tests that rewrite rows behind the sessions' back)."""
    with _lock:
        _cache.clear()
