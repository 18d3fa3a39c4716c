"""Grading rounds: the risk manager opens a month, units grade, the deadline locks it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from .. import history, periods
from ..auth import policy
from ..auth.models import Unit
from ..auth.service import unit_by_code
from ..db import utcnow
from ..errors import Conflict, FieldErrors, NotFound
from ..notifications import events
from ..validation import a_date
from . import sheets
from .models import Assessment, GradingRound, Risk, RoundReopening

# A reopening speaks of one unit: its reason is for that unit's eyes (and the company's).
history.register_entity("grading_round", lambda session, id_: session.get(GradingRound, id_), history.unit_named)


def find(session: Session, period: str) -> GradingRound | None:
    return session.scalar(select(GradingRound).where(GradingRound.period == period))


def latest(session: Session) -> GradingRound | None:
    """The newest round."""
    return session.scalar(select(GradingRound).order_by(GradingRound.period.desc()).limit(1))


def is_closed(rnd: GradingRound, today: date) -> bool:
    """A round closes when closed by hand or when its deadline has passed."""
    return rnd.closed_at is not None or today > rnd.deadline


def _reopening(session: Session, rnd: GradingRound, unit_id: int) -> RoundReopening | None:
    return session.scalar(select(RoundReopening).where(RoundReopening.round_id == rnd.id,
                                                       RoundReopening.unit_id == unit_id))


def is_open_for(session: Session, period: str, unit_id: int) -> bool:
    """True when UNIT_ID may still grade PERIOD. A month without a round is open."""
    rnd = find(session, period)
    if rnd is None:
        return True
    today = periods.today()
    if not is_closed(rnd, today):
        return True
    reopening = _reopening(session, rnd, unit_id)
    return reopening is not None and today <= reopening.deadline


def has_open_round(session: Session, period: str, unit_id: int) -> bool:
    """True when PERIOD has a round that UNIT_ID may still grade (open, or reopened for the unit)."""
    return find(session, period) is not None and is_open_for(session, period, unit_id)


def require_open(session: Session, period: str, unit_id: int) -> None:
    """Refuse a grade for a period whose round is closed for the unit."""
    if not is_open_for(session, period, unit_id):
        raise Conflict(_l("The grading round for %(period)s is closed; ask the risk manager to reopen it for "
                          "your unit.", period=period), {"period": [_l("Round closed.")]})


def open_round(session: Session, actor, period: str, deadline) -> GradingRound:
    """Open PERIOD's round, to close at the end of DEADLINE."""
    policy.require(actor, "round.manage")
    errors = FieldErrors()
    try:
        periods.parse(period if isinstance(period, str) else "")
    except ValueError:
        errors.add("period", _l("Use YYYY-MM, for example 2026-07."))
    day = a_date(deadline, "deadline", errors, required=True)
    if day is not None and day < periods.today():
        errors.add("deadline", _l("The deadline has already passed."))
    errors.raise_if_any(_l("The round was not opened."))
    if find(session, period) is not None:
        # In other words than the success ("…的评估轮次已开启"), which the refusal must not read like.
        raise Conflict(_l("The round was not opened."), {"period": [_l(
            "There is already a round for %(period)s; it cannot be opened again.", period=period)]})
    rnd = GradingRound(period=period, deadline=day, opened_by_id=actor.id)
    session.add(rnd)
    session.flush()
    history.record(session, actor, "grading_round", rnd.id, "open",
                   changes={"period": [None, period], "deadline": [None, day.isoformat()]})
    events.round_opened(session, rnd, actor)
    return rnd


def close_round(session: Session, actor, period: str) -> GradingRound:
    """Close PERIOD's round now: grades are locked."""
    policy.require(actor, "round.manage")
    rnd = find(session, period)
    if rnd is None:
        raise NotFound(_l("There is no round for %(period)s.", period=period))
    if rnd.closed_at is None:
        rnd.closed_at = utcnow()
        history.record(session, actor, "grading_round", rnd.id, "close")
    return rnd


def reopen(session: Session, actor, period: str, unit_codes, reason: str, deadline) -> list[RoundReopening]:
    """Let each unit of UNIT_CODES grade a closed round again until DEADLINE, for a stated reason: all of
    them or none. Each unit's reopening is its own history entry, as when one unit is reopened."""
    policy.require(actor, "round.manage")
    rnd = find(session, period)
    if rnd is None:
        raise NotFound(_l("There is no round for %(period)s.", period=period))
    errors = FieldErrors()
    codes = list(dict.fromkeys(unit_codes or ()))
    units = []
    for code in codes:
        unit = unit_by_code(session, code)
        if unit is None:
            errors.add("unit", _l("Unknown unit %(code)s.", code=code))
        units.append(unit)
    if not codes:
        errors.add("unit", _l("Choose at least one unit."))
    if not isinstance(reason, str) or not reason.strip():
        errors.add("reason", _l("Say why the round is reopened."))
    day = a_date(deadline, "deadline", errors, required=True)
    if day is not None and day < periods.today():
        errors.add("deadline", _l("The deadline has already passed."))
    errors.raise_if_any(_l("The round was not reopened."))
    reopenings = []
    for unit in units:
        reopening = _reopening(session, rnd, unit.id)
        if reopening is None:
            reopening = RoundReopening(round_id=rnd.id, unit_id=unit.id, reason=reason.strip(), deadline=day,
                                       reopened_by_id=actor.id)
            session.add(reopening)
        else:
            reopening.reason, reopening.deadline, reopening.reopened_by_id = reason.strip(), day, actor.id
        session.flush()
        history.record(session, actor, "grading_round", rnd.id, "reopen", comment=reason.strip(),
                       changes={"unit": [None, unit.code], "deadline": [None, day.isoformat()]})
        # A returned sheet tells the unit why (sheet_returned); otherwise the unit is told its round is open again.
        if not sheets.return_for_reopening(session, actor, rnd, unit.id, reason.strip()):
            events.round_opened(session, rnd, actor, unit=sheets.unit_scope(unit), deadline=day)
        reopenings.append(reopening)
    return reopenings


def reopen_for_unit(session: Session, actor, period: str, unit_code: str, reason: str, deadline) -> RoundReopening:
    """Let one unit grade a closed round again until DEADLINE, for a stated reason."""
    return reopen(session, actor, period, [unit_code], reason, deadline)[0]


def proposed_period(session: Session) -> str:
    """The month a new round is most likely for: the one after the newest round, else this month."""
    newest = latest(session)
    return periods.shift(newest.period, 1) if newest is not None else periods.current()


@dataclass
class UnitProgress:
    unit: Unit
    graded: int
    total: int
    open: bool
    # The unit's grading sheet (None for a month without a round) and why it was last returned.
    state: str | None = None
    returned_reason: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.graded / self.total) if self.total else 100


def risks_of_month(period: str):
    """The condition on Risk that holds for the risks PERIOD's grading covers: those graded for the month,
    and those registered by the month's end (in the company's time zone) that were not retired by then.

    A risk registered later (an import on the 1st of the next month) is not counted in a past month, and one
    retired later still is. Risks keep no retirement date: the time of its newest `retire` in the history is
    used. A risk retired during the month without a grade for it was withdrawn, not missed (it can no
    longer be graded), so it counts only when it was graded."""
    following = periods.start_utc(periods.shift(period, 1))
    retired_at = (select(func.max(history.ChangeRecord.at))
                  .where(history.ChangeRecord.entity == "risk", history.ChangeRecord.entity_id == Risk.id,
                         history.ChangeRecord.action == "retire")
                  .correlate(Risk).scalar_subquery())
    return or_(and_(Risk.created_at < following, or_(Risk.status == "active", retired_at >= following)),
               Risk.id.in_(select(Assessment.risk_id).where(Assessment.period == period)))


def completion(session: Session, actor, period: str) -> list[UnitProgress]:
    """Each unit's graded risks and risks to grade for PERIOD (risks_of_month), for the units ACTOR may see."""
    policy.require(actor, "risk.read")
    totals = dict(session.execute(select(Risk.unit_id, func.count(Risk.id)).where(risks_of_month(period))
                                  .group_by(Risk.unit_id)).all())
    graded = dict(session.execute(
        select(Risk.unit_id, func.count(Assessment.id)).join(Assessment, Assessment.risk_id == Risk.id)
        .where(Assessment.period == period).group_by(Risk.unit_id)).all())
    scope = policy.scope_unit_id(actor)
    units = session.scalars(select(Unit).where(Unit.id.in_(totals)).order_by(Unit.code))
    rnd = find(session, period)
    # A month without a round, or whose round predates sign-off (sheets.signed_off), has no sheet state.
    has_sheets = rnd is not None and sheets.signed_off(session, rnd)
    signed = sheets.states(session, period) if has_sheets else {}
    none = sheets.SheetState(sheets.INITIAL, "")
    return [UnitProgress(u, graded.get(u.id, 0), totals[u.id], is_open_for(session, period, u.id),
                         signed.get(u.id, none).state if has_sheets else None, signed.get(u.id, none).returned_reason)
            for u in units if scope is None or u.id == scope]


def complete(progress: list[UnitProgress]) -> bool:
    """A round is complete when every unit's sheet is accepted; a month before sign-off (no sheet states),
    when every unit has graded all its risks, as it was counted then."""
    return all(p.state == sheets.ACCEPTED if p.state is not None else p.graded >= p.total for p in progress)


def idle(progress: list[UnitProgress]) -> list[Unit]:
    """The units of PROGRESS that have risks to grade and have graded none of them: closing the round would
    lock them at 0%."""
    return [p.unit for p in progress if p.total and not p.graded]


def idle_units(session: Session, actor, period: str) -> list[Unit]:
    """The units that would be locked at 0% if PERIOD's round closed now."""
    return idle(completion(session, actor, period))


def deadline_for(session: Session, rnd: GradingRound, unit_id: int) -> date:
    """The day UNIT_ID's grading of RND ends: the round's deadline, or its reopening's once the round closed."""
    reopening = _reopening(session, rnd, unit_id) if is_closed(rnd, periods.today()) else None
    return reopening.deadline if reopening is not None else rnd.deadline
