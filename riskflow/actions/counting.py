"""What a warning's actions add up to: its progress, and whether any is still open. Kept apart from the
service so that the warnings' rules read it without importing the actions' pages and workflow."""
from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from .models import OPEN_STATES, Action


def tallies(session: Session, warning_ids) -> dict[int, tuple[int, int, int]]:
    """(done, counted, started) of each warning in WARNING_IDS that has actions, in one query: the actions
    counted are those not cancelled; started are those past `open`."""
    ids = list(warning_ids)
    if not ids:
        return {}
    counted = Action.state != "cancelled"
    stmt = (select(Action.warning_id,
                   func.sum(case((Action.state == "done", 1), else_=0)),
                   func.sum(case((counted, 1), else_=0)),
                   func.sum(case((Action.state.in_(("in_progress", "submitted", "done")), 1), else_=0)))
            .where(Action.warning_id.in_(ids)).group_by(Action.warning_id))
    return {wid: (int(done or 0), int(n or 0), int(started or 0)) for wid, done, n, started in session.execute(stmt)}


def progress(done: int, counted: int) -> int | None:
    """A warning's progress from its actions: the share done of those not cancelled; None without any."""
    return round(100 * done / counted) if counted else None


def derived_progress(session: Session, warning_id: int) -> int | None:
    """WARNING_ID's progress counted from its actions, or None when it has none (the unit states it)."""
    done, counted, _started = tallies(session, [warning_id]).get(warning_id, (0, 0, 0))
    return progress(done, counted)


def open_codes(session: Session, warning_id: int) -> list[str]:
    """The codes of WARNING_ID's actions still open (they keep the warning from being confirmed done)."""
    return list(session.scalars(select(Action.code).where(Action.warning_id == warning_id,
                                                          Action.state.in_(OPEN_STATES)).order_by(Action.code)))


def of_warnings(session: Session, warning_ids) -> dict[int, list[Action]]:
    """The actions of each warning in WARNING_IDS, by code, in one query (a page of warnings lists them)."""
    ids = list(warning_ids)
    found: dict[int, list[Action]] = {wid: [] for wid in ids}
    if ids:
        for action in session.scalars(select(Action).where(Action.warning_id.in_(ids)).order_by(Action.code)):
            found[action.warning_id].append(action)
    return found


def progress_of(actions) -> int | None:
    """The progress ACTIONS (one warning's, already loaded) make: as progress(), without a query."""
    counted = [a for a in actions if a.state != "cancelled"]
    return progress(sum(1 for a in counted if a.state == "done"), len(counted))
