"""The monthly grading sheet: a unit's active risks graded on one page, all rows or none.

A save grades only the rows the officer chose a grade for, or confirmed "the same as last month"; a row
left blank stays ungraded (a sheet pre-filled from last month once graded every row nobody looked at).
Each row goes through the same service as the single-risk form, with the same reason rule
(assessments.check_reason): a confirmed row that the officer gave no reason gets DEFAULT_REASON's words."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import periods
from ..errors import Invalid, RiskflowError
from ..notifications import events
from . import assessments
from .models import Assessment, Risk

CHOOSE_BOTH = _l("Choose both likelihood and impact.")


@dataclass
class Row:
    """One risk of the sheet: the month's grade and last month's, as stored."""

    risk: Risk
    this: Assessment | None
    last: Assessment | None

    @property
    def confirmable(self) -> bool:
        """Not graded this month, and graded last month: "the same as last month" is offered."""
        return self.this is None and self.last is not None


@dataclass
class Entry:
    """What the sheet sent for one risk."""

    likelihood: int | None = None
    impact: int | None = None
    rationale: str = ""
    same: bool = False  # "the same as last month" ticked
    version: int | None = None  # the version of the month's grade the sheet showed; None: not graded then

    @property
    def blank(self) -> bool:
        return self.likelihood is None and self.impact is None


class SheetRefused(Invalid):
    """Rows the sheet could not save, by risk id; nothing was saved."""

    def __init__(self, rows: dict[int, RiskflowError]):
        super().__init__(_l("Nothing was saved: correct the marked rows."))
        self.rows = rows


def rows(session: Session, unit_id: int, period: str) -> list[Row]:
    """The unit's active risks by code, each with its grade for PERIOD and for the month before."""
    unit_risks = list(session.scalars(
        select(Risk).where(Risk.unit_id == unit_id, Risk.status == "active").order_by(Risk.code)))
    ids = [r.id for r in unit_risks]

    def grades(month):
        if not ids:
            return {}
        stmt = select(Assessment).where(Assessment.risk_id.in_(ids), Assessment.period == month)
        return {a.risk_id: a for a in session.scalars(stmt)}

    this, last = grades(period), grades(periods.previous(period))
    return [Row(r, this.get(r.id), last.get(r.id)) for r in unit_risks]


def mark_same(sheet: list[Row], entries: dict[int, Entry]) -> int:
    """Tick "the same as last month" on every row not graded this month whose grade the officer has not
    chosen, filling in last month's grade; how many rows were marked. Nothing is saved."""
    marked = 0
    for row in sheet:
        entry = entries.setdefault(row.risk.id, Entry())
        if row.confirmable and not entry.same and entry.blank:
            entry.same, entry.likelihood, entry.impact = True, row.last.likelihood, row.last.impact
            marked += 1
    return marked


def chosen(row: Row, entry: Entry) -> tuple[int, int] | None:
    """The (likelihood, impact) the row asks to save, or None for a row left blank; Invalid when unclear."""
    if entry.same:
        if row.last is None:
            raise Invalid.field("same", _l("There is no grade for last month to repeat."))
        last = (row.last.likelihood, row.last.impact)
        if not entry.blank and (entry.likelihood, entry.impact) != last:
            raise Invalid.field("same", _l(
                "Marked the same as last month, with a different grade chosen: untick it or choose last "
                "month's grade."))
        return last
    if entry.blank:
        if entry.rationale.strip():
            raise Invalid.field("likelihood", CHOOSE_BOTH)
        return None
    if entry.likelihood is None or entry.impact is None:
        raise Invalid.field("likelihood" if entry.likelihood is None else "impact", CHOOSE_BOTH)
    return entry.likelihood, entry.impact


def save(session: Session, actor, period: str, sheet: list[Row], entries: dict[int, Entry],
         default_reason: str) -> int:
    """Grade or revise every row the officer changed or confirmed; how many were saved.

    All or none: SheetRefused names every refused row (the caller rolls back). A row shown graded is
    revised only when its grade or reason changed, with the version the sheet showed, so a grade someone
    else changed since is refused at its row, never overwritten; a row shown ungraded that someone graded
    since counts as version 0, and is refused the same way."""
    refused, saved = {}, 0
    with events.warnings_told_together(session):
        for row in sheet:
            entry = entries.get(row.risk.id, Entry())
            try:
                saved += _save_row(session, actor, period, row, entry, default_reason)
            except RiskflowError as exc:
                refused[row.risk.id] = exc
        if refused:
            raise SheetRefused(refused)
    return saved


def _save_row(session, actor, period, row: Row, entry: Entry, default_reason: str) -> bool:
    grade = chosen(row, entry)
    rationale = entry.rationale.strip() or (str(default_reason) if entry.same else "")
    if row.this is None:
        if grade is None:
            return False
        assessments.record(session, actor, row.risk.id, {
            "period": period, "likelihood": grade[0], "impact": grade[1], "rationale": rationale},
            require_reason=True)
        return True
    if grade is None:
        if entry.version is None:
            return False  # shown ungraded and left blank: graded by someone else since, untouched here
        raise Invalid.field("likelihood", CHOOSE_BOTH)  # a month's grade is revised, never cleared
    if (grade, rationale) == ((row.this.likelihood, row.this.impact), row.this.rationale):
        return False
    assessments.revise(session, actor, row.risk.id, period, {
        "likelihood": grade[0], "impact": grade[1], "rationale": rationale, "version": entry.version or 0},
        require_reason=True)
    return True
