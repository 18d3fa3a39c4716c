"""Warnings: raised by the contract's rules, answered by the owning unit."""
from __future__ import annotations

import hashlib
import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from .. import history, periods, values, versions
from ..auth import policy
from ..errors import FieldErrors, Forbidden, Invalid, RiskflowError
from ..notifications import events
from ..validation import one_of
from . import grading
from ..actions import counting
from ..indicators.models import Indicator, IndicatorValue
from ..indicators.labels import CAUSE_LABELS
from .labels import WARNING_STATUS_LABELS
from .models import WARNING_CAUSES, WARNING_STATUSES, Assessment, Risk, RiskWarning

TRACKED = ("level", "reason", "previous_level", "response", "progress", "status", "cause", "explanation")
ANSWER_FIELDS = ("response", "progress", "status", "cause", "explanation")
# The unit a warning belongs to: its risk's, or its indicator's (None: company-wide); queries join both.
UNIT = func.coalesce(Risk.unit_id, Indicator.unit_id)
CODE = func.coalesce(Risk.code, Indicator.code)


def coalesce_title():
    """The warned item's title in SQL: the risk's, or the indicator's name (queries join both, see joined())."""
    return func.coalesce(Risk.title, Indicator.name)


def joined(stmt):
    """STMT over warnings, with the warned risk and the warned indicator joined (for UNIT and CODE)."""
    return (stmt.outerjoin(Risk, Risk.id == RiskWarning.risk_id)
            .outerjoin(Indicator, Indicator.id == RiskWarning.indicator_id))

history.register_entity("warning", lambda session, id_: session.get(RiskWarning, id_))


def _level(session: Session, risk_id: int, period: str) -> str | None:
    return session.scalar(select(Assessment.level).where(Assessment.risk_id == risk_id, Assessment.period == period))


def _breached(session: Session, risk_id: int, period: str) -> bool:
    stmt = (select(IndicatorValue.id).join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(Indicator.risk_id == risk_id, Indicator.active.is_(True), IndicatorValue.period == period,
                   IndicatorValue.breached.is_(True))
            .limit(1))
    return session.scalar(stmt) is not None


def find(session: Session, risk_id: int, period: str) -> RiskWarning | None:
    return session.scalar(select(RiskWarning).where(RiskWarning.risk_id == risk_id, RiskWarning.period == period))


def refresh(session: Session, risk: Risk, period: str) -> RiskWarning | None:
    """Raise, update or withdraw RISK's warning for PERIOD from the grades and indicators now on file.

    A warning that has a response or progress is never withdrawn: the unit's work on it stays.
    """
    level = _level(session, risk.id, period)
    previous_level = _level(session, risk.id, periods.previous(period))
    reason = grading.warning_reason(level, previous_level, _breached(session, risk.id, period))
    warning = find(session, risk.id, period)
    if reason is None:
        if warning is not None and _untouched(warning):
            _withdraw(session, warning)
            return None
        return warning
    if warning is None:
        warning = RiskWarning(risk_id=risk.id, period=period, level=level, reason=reason,
                              previous_level=previous_level, response="", progress=0, status="open")
        session.add(warning)
        session.flush()
        history.record(session, policy.SYSTEM, "warning", warning.id, "raise",
                       changes=history.diff({}, history.snapshot(warning, ("period",) + TRACKED)))
        events.warning_raised(session, [warning])
        return warning
    before = history.snapshot(warning, TRACKED)
    warning.level, warning.reason, warning.previous_level = level, reason, previous_level
    changes = history.diff(before, history.snapshot(warning, TRACKED))
    if changes:
        history.record(session, policy.SYSTEM, "warning", warning.id, "regrade", changes=changes)
    return warning


def _untouched(warning: RiskWarning) -> bool:
    """Nobody has answered WARNING yet: it may be withdrawn."""
    return not warning.response and not warning.explanation and warning.progress == 0 and \
        warning.status == "open" and warning.cause is None


def _withdraw(session: Session, warning: RiskWarning) -> None:
    history.record(session, policy.SYSTEM, "warning", warning.id, "withdraw",
                   changes={"reason": [warning.reason, None]})
    session.delete(warning)


def refresh_indicator(session: Session, indicator: Indicator, period: str) -> RiskWarning | None:
    """Raise or withdraw the warning of an indicator linked to no risk for PERIOD, from its value on file; an
    answered warning stays when a correction ends the breach."""
    breached = indicator.active and indicator.risk_id is None and session.scalar(
        select(IndicatorValue.breached).where(IndicatorValue.indicator_id == indicator.id,
                                              IndicatorValue.period == period))
    warning = session.scalar(select(RiskWarning).where(RiskWarning.indicator_id == indicator.id,
                                                       RiskWarning.period == period))
    if not breached:
        if warning is not None and _untouched(warning):
            _withdraw(session, warning)
            return None
        return warning
    if warning is None:
        warning = RiskWarning(indicator_id=indicator.id, period=period, level=None, reason="indicator",
                              previous_level=None, response="", explanation="", progress=0, status="open")
        session.add(warning)
        session.flush()
        history.record(session, policy.SYSTEM, "warning", warning.id, "raise",
                       changes=history.diff({}, history.snapshot(warning, ("period",) + TRACKED)))
        events.warning_raised(session, [warning])
    return warning


def refresh_around(session: Session, risk: Risk, period: str) -> None:
    """After PERIOD's grade changed: its warning, and next month's escalation, which compares with it."""
    refresh(session, risk, period)
    following = periods.shift(period, 1)
    if _level(session, risk.id, following) is not None or find(session, risk.id, following) is not None:
        refresh(session, risk, following)


def query(actor, period: str, unit_id: int | None = None):
    """The warnings of PERIOD that ACTOR may see, most severe first."""
    policy.require(actor, "risk.read")
    stmt = joined(select(RiskWarning)).where(RiskWarning.period == period).order_by(CODE)
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where(UNIT == scope)
    if unit_id is not None:
        stmt = stmt.where(UNIT == unit_id)
    return stmt


def answers_indicator(warning: RiskWarning) -> bool:
    """True for the warning of a budget indicator's miss (on the indicator itself, or on its linked risk):
    it is answered with a cause and an explanation too."""
    return warning.indicator_id is not None or warning.reason == "indicator"


LEVEL_ORDER = case(grading.LEVEL_RANK, value=RiskWarning.level, else_=-1)

# What a warning waits for: the unit's response, or the risk manager's confirmation of one reported complete.
WAITING = {
    "respond": and_(RiskWarning.status != "done", or_(RiskWarning.response == "", RiskWarning.response.is_(None))),
    "confirm": and_(RiskWarning.status != "done", RiskWarning.progress >= 100),
}


# The `unit` filter's value for the warnings of company-wide indicators (no unit code starts with "-").
COMPANY_WIDE = values.COMPANY_WIDE


def ranked(actor, period: str, *, unit_id: int | None = None, level: str | None = None,
           status: str | None = None, waiting: str | None = None, company_wide: bool = False):
    """The statement listing PERIOD's warnings ACTOR may see, by level (major first), then code; WAITING
    (a key of WAITING) keeps those waiting for a response or a confirmation, COMPANY_WIDE those of no unit."""
    stmt = query(actor, period, unit_id).order_by(None).order_by(LEVEL_ORDER.desc(), CODE)
    if company_wide:
        stmt = stmt.where(UNIT.is_(None))
    if level:
        stmt = stmt.where(RiskWarning.level == level)
    if status:
        stmt = stmt.where(RiskWarning.status == status)
    if waiting:
        stmt = stmt.where(WAITING[waiting])
    return stmt


def count_waiting(session: Session, actor, period: str, waiting: str, company_wide: bool = False) -> int:
    """How many warnings of PERIOD and the month before (the two lists of the warnings page) that ACTOR may see
    wait for WAITING (of those, the company-wide ones with COMPANY_WIDE)."""
    stmt = joined(select(func.count(RiskWarning.id))).where(
        RiskWarning.period.in_((period, periods.previous(period))), WAITING[waiting])
    if company_wide:
        stmt = stmt.where(UNIT.is_(None))
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where(UNIT == scope)
    return session.scalar(stmt) or 0


def statuses_for(actor) -> tuple[str, ...]:
    """The statuses ACTOR may set: `done` only for those who confirm."""
    return WARNING_STATUSES if policy.role_allows(actor, "warning.confirm") else \
        tuple(s for s in WARNING_STATUSES if s != "done")


def may_answer(actor, warning: RiskWarning) -> bool:
    """True when ACTOR may change WARNING: its unit until the risk manager has confirmed it done."""
    return policy.can(actor, "warning.update", warning) and (
        warning.status != "done" or policy.role_allows(actor, "warning.confirm"))


def list_for_period(session: Session, actor, period: str, limit: int | None = None) -> list[RiskWarning]:
    """PERIOD's warnings ACTOR may see, by level (major first), then code; the first LIMIT of them."""
    stmt = ranked(actor, period)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def for_risk(session: Session, risk_id: int) -> list[RiskWarning]:
    """A risk's warnings, newest period first."""
    stmt = select(RiskWarning).where(RiskWarning.risk_id == risk_id).order_by(RiskWarning.period.desc())
    return list(session.scalars(stmt))


def lock(session: Session, warning: RiskWarning) -> None:
    """Hold WARNING's row until the transaction ends, and read it again: its confirmation and a new action on it
    are decided one at a time, so that a warning is never confirmed done while an action is being added."""
    session.execute(sql_update(RiskWarning).where(RiskWarning.id == warning.id).values(period=RiskWarning.period)
                    .execution_options(synchronize_session=False))
    session.refresh(warning)


def update(session: Session, actor, warning_id: int, data: dict) -> RiskWarning:
    """Record the response to a warning and how far it got; with the `version` read last, a warning
    changed since (a response, a regrade) is refused (Conflict)."""
    warning = policy.require_found(actor, "warning.update", session.get(RiskWarning, warning_id))
    if data.get("status") == "done" and "done" not in statuses_for(actor):
        raise Forbidden(_l("Only the risk manager confirms that the response to a warning is done."))
    if not may_answer(actor, warning):
        raise Forbidden(_l("The risk manager has confirmed this warning done; only they may change it now."))
    if data.get("status") == "done":
        lock(session, warning)
    errors = FieldErrors()
    values = {}
    if "response" in data:
        if not isinstance(data["response"], str):
            errors.add("response", _l("Must be text."))
        elif len(data["response"]) > 4000:
            errors.add("response", _l("At most %(n)d characters.", n=4000))
        else:
            values["response"] = data["response"].strip()
    derived = counting.derived_progress(session, warning.id)
    if "progress" in data:
        progress = data["progress"]
        if not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100:
            errors.add("progress", _l("A whole number from 0 to 100."))
        elif derived is not None and progress != derived:
            errors.add("progress", _l("The progress is counted from the warning's actions (%(n)s%%); complete them "
                                      "instead.", n=derived))
        else:
            values["progress"] = progress
    if "status" in data:
        if data["status"] not in WARNING_STATUSES:
            errors.add("status", one_of(WARNING_STATUS_LABELS))
        else:
            values["status"] = data["status"]
    if "cause" in data:
        if data["cause"] is not None and data["cause"] not in WARNING_CAUSES:
            errors.add("cause", one_of(CAUSE_LABELS))
        elif data["cause"] is not None and not answers_indicator(warning):
            errors.add("cause", _l("Only the warning of a budget indicator's miss has a cause."))
        else:
            values["cause"] = data["cause"]
    if "explanation" in data:
        if not isinstance(data["explanation"], str):
            errors.add("explanation", _l("Must be text."))
        elif len(data["explanation"]) > 4000:
            errors.add("explanation", _l("At most %(n)d characters.", n=4000))
        else:
            values["explanation"] = data["explanation"].strip()
    version_read = versions.read(data, errors)
    unknown = sorted(set(data) - set(ANSWER_FIELDS) - {"version"})
    for name in unknown:
        errors.add(name, _l("This field cannot be changed."))
    status, progress = values.get("status", warning.status), values.get("progress", warning.progress)
    if status == "done" and ("status" in values or "progress" in values) and "progress" not in errors.errors:
        if progress < 100:
            errors.add("status", _l("A warning is confirmed done only at 100%% progress; it is at %(progress)s%%.",
                                    progress=progress))
    if status == "done" and "status" in values and warning.status != "done":
        still_open = counting.open_codes(session, warning.id)
        if still_open:
            errors.add("status", _l("Actions are still open: %(codes)s. The warning is confirmed done once every "
                                    "action is done.", codes=", ".join(still_open)))
    errors.raise_if_any(_l("The warning was not saved."))
    versions.refuse_stale(version_read, warning.version, _l(
        "Someone else changed the warning on %(code)s since you read it (version %(theirs)s, yours %(yours)s); "
        "reload it and make your change again.", code=warning.code, theirs=warning.version,
        yours=version_read))
    before = history.snapshot(warning, TRACKED)
    for name, value in values.items():
        setattr(warning, name, value)
    changes = history.diff(before, history.snapshot(warning, TRACKED))
    if changes:
        session.flush()  # the version column guards against a concurrent writer here
        history.record(session, actor, "warning", warning.id, "respond", changes=changes)
    return warning


def shown(response, progress, status, cause=None, explanation=None) -> str:
    """A short fingerprint of a warning's answer as a page drew it: a row posted back with the same one was
    not touched, so saving the page leaves it alone (and does not refuse it when someone changed it since).
    CAUSE and EXPLANATION are those of an indicator's warning (None where the page draws neither)."""
    text = json.dumps([response or "", str(progress if progress is not None else ""), status or "",
                       cause or "", explanation or ""], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class RowsRefused(Invalid):
    """Some rows of a page that saves several warnings at once were refused: ROWS maps each warning's id to
    its refusal; nothing was saved."""

    def __init__(self, rows: dict[int, RiskflowError]):
        super().__init__(_l("Nothing was saved: correct the marked rows."))
        self.rows = rows


def update_many(session: Session, actor, answers: dict[int, dict]) -> list[RiskWarning]:
    """Record several responses at once (ANSWERS maps a warning's id to what update() takes), all or none:
    every refused row is named in one RowsRefused."""
    saved, refused = [], {}
    for warning_id, data in answers.items():
        try:
            saved.append(update(session, actor, warning_id, data))
        except RiskflowError as exc:
            refused[warning_id] = exc
    if refused:
        raise RowsRefused(refused)
    return saved
