"""The execution progress (《…执行进度》) of a month's warnings, from their actions: each action's owner, due
date and state, and per unit how many actions are done and how many overdue. The report's page, its own PDF
and the pages read the same figures from here, in a fixed number of queries however many actions there are."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .. import periods
from ..auth import policy
from ..auth.models import Unit, User
from ..indicators.models import Indicator
from ..register import warnings
from ..register.models import Risk, RiskWarning
from .models import OPEN_STATES, Action


@dataclass
class ActionRow:
    """One action answering one warning of the month."""

    warning_id: int
    code: str  # the warned risk's (or indicator's) code
    subject: str  # its title
    unit: str | None  # the unit's name; None: company-wide
    action_code: str
    title: str
    owner: str
    due_date: date
    state: str
    overdue: bool
    unit_id: int | None = None


@dataclass
class UnitTally:
    """A unit's warnings of the month and how far their actions got."""

    unit: str | None
    warnings: int = 0
    actions: int = 0
    done: int = 0
    overdue: int = 0
    cancelled: int = 0
    unit_id: int | None = None

    @property
    def open(self) -> int:
        return self.actions - self.done - self.cancelled

    @property
    def done_rate(self) -> int | None:
        """The share done of the actions not cancelled, in whole percent (None without any)."""
        counted = self.actions - self.cancelled
        return round(100 * self.done / counted) if counted else None


@dataclass
class Unanswered:
    """A warning of the month without any action."""

    warning_id: int
    code: str
    subject: str
    unit: str | None
    progress: int
    status: str
    response: str = ""  # what the unit typed, without actions
    unit_id: int | None = None


@dataclass
class Progress:
    period: str
    today: date
    rows: list[ActionRow] = field(default_factory=list)
    units: list[UnitTally] = field(default_factory=list)  # by unit name, company-wide last
    without_actions: list[Unanswered] = field(default_factory=list)
    # A unit's version (reports.collect.for_unit): the company's sums, kept when the rows are the unit's alone.
    company: UnitTally | None = None

    @property
    def total(self) -> UnitTally:
        """The company's sums."""
        if self.company is not None:
            return self.company
        whole = UnitTally(None)
        for tally in self.units:
            whole.warnings += tally.warnings
            whole.actions += tally.actions
            whole.done += tally.done
            whole.overdue += tally.overdue
            whole.cancelled += tally.cancelled
        return whole


def collect(session: Session, actor, period: str, today: date | None = None) -> Progress:
    """The execution progress of PERIOD's warnings that ACTOR may see, on TODAY (three queries)."""
    today = today or periods.today()
    base = warnings.query(actor, period).order_by(None)
    unit_name = Unit.name.label("unit")
    stmt = (base.with_only_columns(RiskWarning.id, warnings.CODE.label("code"),
                                   warnings.coalesce_title().label("subject"), unit_name, Unit.id.label("unit_id"),
                                   Action.code.label("acode"),
                                   Action.title, User.display_name, User.username, Action.due_date, Action.state)
            .join(Action, Action.warning_id == RiskWarning.id).join(User, User.id == Action.owner_id)
            .outerjoin(Unit, Unit.id == warnings.UNIT)
            .order_by(unit_name, warnings.CODE, Action.code))
    result = Progress(period, today)
    tallies: dict[str | None, UnitTally] = {}
    for row in session.execute(stmt):
        late = row.state in OPEN_STATES and row.due_date < today
        result.rows.append(ActionRow(row.id, row.code, row.subject, row.unit, row.acode, row.title,
                                     row.display_name or row.username, row.due_date, row.state, late, row.unit_id))
        tally = tallies.setdefault(row.unit_id, UnitTally(row.unit, unit_id=row.unit_id))
        tally.actions += 1
        tally.done += row.state == "done"
        tally.cancelled += row.state == "cancelled"
        tally.overdue += late
    counted = (base.with_only_columns(unit_name, Unit.id, RiskWarning.id).outerjoin(Unit, Unit.id == warnings.UNIT))
    for name, unit_id, _id in session.execute(counted):
        tallies.setdefault(unit_id, UnitTally(name, unit_id=unit_id)).warnings += 1
    has_action = exists().where(Action.warning_id == RiskWarning.id)
    lonely = (base.with_only_columns(RiskWarning.id, warnings.CODE.label("code"),
                                     warnings.coalesce_title().label("subject"), unit_name, RiskWarning.progress,
                                     RiskWarning.status, RiskWarning.response, Unit.id.label("unit_id"))
              .outerjoin(Unit, Unit.id == warnings.UNIT).where(~has_action).order_by(unit_name, warnings.CODE))
    result.without_actions = [Unanswered(r.id, r.code, r.subject, r.unit, r.progress, r.status, r.response or "",
                                         r.unit_id)
                              for r in session.execute(lonely)]
    result.units = sorted(tallies.values(), key=lambda t: (t.unit is None, t.unit or ""))
    return result
