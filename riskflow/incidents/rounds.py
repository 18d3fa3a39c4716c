"""Quarterly collection: every unit answers with its incidents or a nil report; the round closes when all have."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import history, periods
from ..auth import policy
from ..auth.models import Unit
from ..db import utcnow
from ..errors import Conflict, FieldErrors, Invalid, NotFound
from ..notifications import events
from ..validation import a_date
from .models import Incident, IncidentRound, UnitReturn

# A unit's answer speaks of that unit only.
history.register_entity("incident_round", lambda s, id_: s.get(IncidentRound, id_), history.unit_named)


def reporting_units(session: Session) -> list[Unit]:
    """The units that answer each quarter: the active sales units."""
    return list(session.scalars(select(Unit).where(Unit.kind == "sales", Unit.active.is_(True)).order_by(Unit.code)))


def find(session: Session, quarter: str) -> IncidentRound | None:
    return session.scalar(select(IncidentRound).where(IncidentRound.quarter == quarter))


def open_round(session: Session, actor, quarter: str, deadline) -> IncidentRound:
    """Open QUARTER's collection with a deadline."""
    policy.require(actor, "incident_round.manage")
    errors = FieldErrors()
    if not periods.is_quarter(quarter):
        errors.add("quarter", periods.QUARTER_MESSAGE)
    day = a_date(deadline, "deadline", errors, required=True)
    errors.raise_if_any(_l("The collection was not opened."))
    if find(session, quarter) is not None:
        # Said at the quarter and in other words than the success, which reads "…已开启".
        raise Conflict(_l("The collection was not opened."), {"quarter": [_l(
            "There is already a collection for %(quarter)s; it cannot be opened again.", quarter=quarter)]})
    rnd = IncidentRound(quarter=quarter, deadline=day, opened_by_id=actor.id)
    session.add(rnd)
    session.flush()
    history.record(session, actor, "incident_round", rnd.id, "open",
                   changes={"quarter": [None, quarter], "deadline": [None, day.isoformat()]})
    events.incident_round_opened(session, rnd, [unit.id for unit in reporting_units(session)])
    return rnd


def recorded(session: Session, unit_id: int, quarter: str) -> int:
    """How many incidents UNIT_ID has recorded for QUARTER."""
    return session.scalar(select(func.count(Incident.id)).where(Incident.unit_id == unit_id,
                                                                Incident.quarter == quarter))


def answer(session: Session, actor, quarter: str, unit_id: int, nil: bool) -> UnitReturn:
    """A unit submits its quarter: its incidents, or a nil report when it has none."""
    policy.require(actor, "incident_round.answer")
    if not periods.is_quarter(quarter):
        raise Invalid.field("quarter", periods.QUARTER_MESSAGE)
    if actor.unit_id != unit_id:
        raise NotFound(_l("Not found."))
    rnd = find(session, quarter)
    if rnd is None:
        raise NotFound(_l("There is no collection for %(quarter)s.", quarter=quarter))
    if rnd.closed_at is not None:
        raise Conflict(_l("The collection for %(quarter)s is closed.", quarter=quarter))
    ends = periods.quarter_end(quarter)
    if nil and periods.today() <= ends:
        # A nil report says the whole quarter passed without an incident: not knowable before it has.
        reason = _l("A nil report can be sent once %(quarter)s has ended, from %(date)s.", quarter=quarter,
                    date=(ends + timedelta(days=1)).isoformat())
        raise Conflict(reason, {"nil": [reason]})
    count = recorded(session, unit_id, quarter)
    if nil and count:
        reason = _l("Your unit has %(n)s incidents in %(quarter)s: a nil report is not possible.",
                    n=count, quarter=quarter)
        raise Conflict(reason, {"nil": [reason]})
    if not nil and not count:
        raise Conflict(_l("Record your incidents first, or send a nil report."))
    existing = next((r for r in rnd.returns if r.unit_id == unit_id), None)
    if existing is not None:
        raise Conflict(_l("Your unit has already answered for %(quarter)s.", quarter=quarter))
    ret = UnitReturn(round=rnd, unit_id=unit_id, nil=nil, incidents=count, submitted_on=periods.today(),
                     submitted_by_id=actor.id)
    session.add(ret)
    session.flush()
    history.record(session, actor, "incident_round", rnd.id, "nil_report" if nil else "submit",
                   changes={"unit": [None, actor.unit.code if actor.unit else unit_id], "incidents": [None, count]})
    if {u.id for u in reporting_units(session)} <= {r.unit_id for r in rnd.returns}:
        rnd.closed_at = utcnow()
        history.record(session, actor, "incident_round", rnd.id, "close", comment=str(_l("Every unit has answered.")))
    return ret


@dataclass
class UnitStatus:
    unit: Unit
    status: str  # done, late, missing, overdue
    nil: bool
    incidents: int
    submitted_on: date | None


def status(session: Session, actor, quarter: str, today: date | None = None) -> list[UnitStatus]:
    """Which units have answered on time, late, or not yet (overdue once the deadline has passed)."""
    rnd = find(session, quarter)
    if rnd is None:
        raise NotFound(_l("There is no collection for %(quarter)s.", quarter=quarter))
    today = today or periods.today()
    returns = {r.unit_id: r for r in rnd.returns}
    scope = policy.scope_unit_id(actor)
    result = []
    for unit in reporting_units(session):
        if scope is not None and unit.id != scope:
            continue
        ret = returns.get(unit.id)
        if ret is None:
            state = "overdue" if today > rnd.deadline else "missing"
            result.append(UnitStatus(unit, state, False, 0, None))
        else:
            state = "late" if ret.submitted_on > rnd.deadline else "done"
            result.append(UnitStatus(unit, state, ret.nil, ret.incidents, ret.submitted_on))
    return result


def open_quarters(session: Session) -> list[str]:
    """The quarters whose collection is still open, oldest first."""
    return list(session.scalars(select(IncidentRound.quarter).where(IncidentRound.closed_at.is_(None))
                                .order_by(IncidentRound.quarter)))


def waiting(session: Session, unit_id: int) -> list[IncidentRound]:
    """The open collections UNIT_ID has not answered yet, oldest first (none for a unit that does not report)."""
    if unit_id not in {u.id for u in reporting_units(session)}:
        return []
    answered = select(UnitReturn.round_id).where(UnitReturn.unit_id == unit_id)
    return list(session.scalars(select(IncidentRound).where(IncidentRound.closed_at.is_(None),
                                                            IncidentRound.id.not_in(answered))
                                .order_by(IncidentRound.quarter)))
