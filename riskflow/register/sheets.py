"""Grading sheets signed off: one per unit and round. The unit's officer submits it once every risk of the
month is graded, the unit head confirms it (单位负责人审核), the risk manager accepts it or returns it with a
reason (风险管理部门审核). Past `grading`, the unit's grades for the month are frozen; a reopening of the
round for the unit returns its sheet. A round is complete when every unit's sheet is accepted."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .. import history
from ..auth import policy
from ..auth.models import Unit
from ..auth.service import unit_by_code
from ..db import utcnow
from ..errors import Conflict, NotFound
from ..notifications import events
from ..workflow import engine
from ..workflow.store import WorkflowVersion, current_version
from .models import Assessment, GradingRound, GradingSheet, Risk

# The state of a unit whose round has no sheet for it yet: still grading.
INITIAL = "grading"
ACCEPTED = "accepted"

history.register_entity("grading_sheet", lambda s, id_: s.get(GradingSheet, id_))


def _round(session: Session, period: str) -> GradingRound | None:
    return session.scalar(select(GradingRound).where(GradingRound.period == period))


def find(session: Session, round_id: int, unit_id: int) -> GradingSheet | None:
    return session.scalar(select(GradingSheet).where(GradingSheet.round_id == round_id,
                                                     GradingSheet.unit_id == unit_id))


def ensure(session: Session, rnd: GradingRound, unit_id: int) -> GradingSheet:
    """The unit's sheet of RND, made (in `grading`) the first time it is needed, and held (lock) until the
    transaction ends. A writer that makes the same sheet at the same moment makes this insert do nothing."""
    sheet = find(session, rnd.id, unit_id)
    if sheet is None:
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        session.execute(insert(GradingSheet).values(
            round_id=rnd.id, unit_id=unit_id, state=engine.workflows()["grading_sheet"].initial,
            workflow_version=current_version(session, "grading_sheet"), returned_reason="", version=1)
            .on_conflict_do_nothing())
    lock(session, rnd.id, unit_id)
    return session.scalar(select(GradingSheet).where(GradingSheet.round_id == rnd.id, GradingSheet.unit_id == unit_id)
                          .execution_options(populate_existing=True))


def lock(session: Session, round_id: int, unit_id: int) -> None:
    """Hold the unit's sheet row until the transaction ends: a grade of the month and a step of the sheet
    (submit) are written one at a time, so a grade saved while the sheet is submitted never lands after the
    submit (it is refused as frozen, or the submit counts it)."""
    session.execute(update(GradingSheet).where(GradingSheet.round_id == round_id, GradingSheet.unit_id == unit_id)
                    .values(state=GradingSheet.state).execution_options(synchronize_session=False))


def signed_off(session: Session, rnd: GradingRound) -> bool:
    """True when RND's units sign their sheets off: every round opened once the `grading_sheet` workflow was
    installed. An older round (a month before sign-off existed) is complete when every risk is graded, as it
    was then, and has no sheets to submit."""
    since = session.scalar(select(func.min(WorkflowVersion.created_at)).where(WorkflowVersion.name == "grading_sheet"))
    return since is None or rnd.opened_at is None or rnd.opened_at >= since


def state_of(session: Session, period: str, unit_id: int) -> str | None:
    """The state of UNIT_ID's sheet for PERIOD: None when the month has no round, `grading` before any step."""
    rnd = _round(session, period)
    if rnd is None:
        return None
    sheet = find(session, rnd.id, unit_id)
    return sheet.state if sheet is not None else INITIAL


@dataclass
class SheetState:
    state: str
    returned_reason: str


def states(session: Session, period: str) -> dict[int, SheetState]:
    """Each unit's sheet of PERIOD's round that has one, by unit id, in one query (the others are grading)."""
    stmt = (select(GradingSheet.unit_id, GradingSheet.state, GradingSheet.returned_reason)
            .join(GradingRound, GradingRound.id == GradingSheet.round_id).where(GradingRound.period == period))
    return {unit_id: SheetState(state, reason or "") for unit_id, state, reason in session.execute(stmt)}


def status(session: Session, period: str, unit_id: int) -> SheetState | None:
    """UNIT_ID's sheet of PERIOD as a page shows it: None when the month has no round or predates sign-off."""
    rnd = _round(session, period)
    if rnd is None or not signed_off(session, rnd):
        return None
    sheet = find(session, rnd.id, unit_id)
    return SheetState(sheet.state, sheet.returned_reason or "") if sheet is not None else SheetState(INITIAL, "")


def label(state: str) -> str:
    """A sheet state's name in the current language."""
    return engine.state_label(engine.workflows()["grading_sheet"], state)


def require_grading(session: Session, period: str, unit_id: int) -> None:
    """Refuse (409) a grade of PERIOD for UNIT_ID's risks once the unit's sheet has left `grading`. The sheet
    stays held (ensure) until the grade is committed, so that a submit waits for it."""
    rnd = _round(session, period)
    if rnd is None or not signed_off(session, rnd):
        return
    state = ensure(session, rnd, unit_id).state
    if state == INITIAL:
        return
    unit = session.get(Unit, unit_id)
    shown = label(state)
    raise Conflict(_l("%(unit)s's grading sheet for %(period)s is %(state)s: its grades are frozen until the sheet is "
                      "returned.", unit=unit.name, period=period, state=shown),
                   {"period": [_l("The grading sheet is %(state)s.", state=shown)]})


def ungraded(session: Session, period: str, unit_id: int) -> int:
    """How many of UNIT_ID's risks of PERIOD (rounds.risks_of_month) have no grade for it."""
    from .rounds import risks_of_month

    graded = select(Assessment.risk_id).where(Assessment.period == period)
    return session.scalar(select(func.count(Risk.id)).where(
        and_(risks_of_month(period), Risk.unit_id == unit_id, Risk.status == "active", Risk.id.not_in(graded)))) or 0


def for_unit(session: Session, actor, period: str, unit_code: str) -> tuple[GradingRound, Unit]:
    """PERIOD's round and the unit of UNIT_CODE, as ACTOR may see them (another unit is NotFound)."""
    policy.require(actor, "grading_sheet.read")
    rnd = _round(session, period)
    unit = unit_by_code(session, unit_code)
    if rnd is None:
        raise NotFound(_l("There is no round for %(period)s.", period=period))
    if unit is None or not policy.in_scope(actor, unit_scope(unit)):
        raise NotFound(_l("Not found."))
    return rnd, unit


def unit_scope(unit: Unit):
    """An object the policy reads as belonging to UNIT."""
    return _UnitItem(unit.id)


@dataclass
class _UnitItem:
    unit_id: int


def fire(session: Session, actor, period: str, unit_code: str, transition: str, /, **fields) -> GradingSheet:
    """Take TRANSITION on the unit's sheet of PERIOD (made on first use): 409 wrong state, 403 role, 422 guard."""
    rnd, unit = for_unit(session, actor, period, unit_code)
    if not signed_off(session, rnd):
        raise Conflict(_l("The round for %(period)s was opened before grading sheets were signed off: its "
                          "completion is counted from the grades.", period=period),
                       {"transition": [_l("Not possible now.")]})
    sheet = ensure(session, rnd, unit.id)
    return engine.fire(session, sheet, transition, actor, **fields)


def return_for_reopening(session: Session, actor, rnd: GradingRound, unit_id: int, reason: str) -> bool:
    """A closed round reopened for a unit returns the unit's sheet to `grading`, with the reopening's reason
    (the unit is told); False when it was still grading."""
    sheet = find(session, rnd.id, unit_id)
    if sheet is None or sheet.state == INITIAL:
        return False
    source = sheet.state
    sheet.state, sheet.returned_reason = INITIAL, reason
    sheet.submitted_at = sheet.confirmed_at = sheet.accepted_at = None
    session.flush()
    history.record(session, actor, "grading_sheet", sheet.id, "reopen", from_state=source, to_state=INITIAL,
                   comment=reason)
    events.sheet_returned(session, sheet, actor, rnd.period, sheet.unit.name, reason)
    return True


@engine.guard("every_risk_graded")
def every_risk_graded(session, sheet, actor, fields):
    period = session.get(GradingRound, sheet.round_id).period
    missing = ungraded(session, period, sheet.unit_id)
    if missing:
        return _l("%(n)s risks of the unit are not graded for %(period)s yet; grade every one before submitting.",
                  n=missing, period=period)
    return None


@engine.effect("grading_sheet", "submit")
def _submitted(session, sheet, actor, fields):
    sheet.submitted_at, sheet.returned_reason = utcnow(), ""


@engine.effect("grading_sheet", "confirm")
def _confirmed(session, sheet, actor, fields):
    sheet.confirmed_at = utcnow()


@engine.effect("grading_sheet", "accept")
def _accepted(session, sheet, actor, fields):
    sheet.accepted_at = utcnow()


@engine.effect("grading_sheet", "return")
def _returned(session, sheet, actor, fields):
    sheet.returned_reason = str(fields.get("comment") or "").strip()
    sheet.submitted_at = sheet.confirmed_at = sheet.accepted_at = None
    events.sheet_returned(session, sheet, actor, sheet.round.period, sheet.unit.name, sheet.returned_reason)
