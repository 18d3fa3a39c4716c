"""The year's supervision plan (年度效能监察工作计划): its five phases' dates, stored per year or the defaults,
the phases under way on a day, and the projects still open when the year is summed up."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import history, values, versions
from ..auth import policy
from ..errors import Conflict, FieldErrors
from ..notifications import events, kinds
from . import service
from .models import SupervisionInspection, SupervisionPlan, SupervisionProject

# The phases in the order of the year, each with its name (the one place for them).
PHASES = {
    "preparation": _l("Preparation phase"),
    "implementation": _l("Implementation phase"),
    "tracking": _l("Tracking and supervision phase"),
    "inspection": _l("Mid-year inspection window"),
    "summary": _l("Summary phase"),
}
DATE_FIELDS = tuple(f"{phase}_{end}" for phase in PHASES for end in ("start", "end"))
# Not under way: a project closed or cancelled, or a unit's proposal the office has not filed (yet).
NOT_UNDER_WAY = ("closed", "cancelled", *service.PROPOSAL_STATES)
# The states of a project whose work the mid-year inspection looks at.
INSPECTED_STATES = ("monitoring", "recommendation", "rectification")


def default_dates(year: int) -> dict[str, date]:
    """准备 Feb–Mar, 实施 Apr–Nov, 跟踪督导 Jun–Nov, 年中检查 Jun–Jul, 总结 Dec to January of the next year."""
    return {
        "preparation_start": date(year, 2, 1), "preparation_end": date(year, 3, 31),
        "implementation_start": date(year, 4, 1), "implementation_end": date(year, 11, 30),
        "tracking_start": date(year, 6, 1), "tracking_end": date(year, 11, 30),
        "inspection_start": date(year, 6, 1), "inspection_end": date(year, 7, 31),
        "summary_start": date(year, 12, 1), "summary_end": date(year + 1, 1, 31),
    }


@dataclass
class Plan:
    """A year's plan as read: the stored row's values or the defaults (`stored` False, version 0)."""

    year: int
    dates: dict[str, date]
    notes: str = ""
    version: int = 0
    stored: bool = False

    def phase(self, code: str) -> tuple[date, date]:
        return self.dates[f"{code}_start"], self.dates[f"{code}_end"]

    def phases(self) -> list[tuple[str, object, date, date]]:
        """(code, name, start, end) of each phase, in the year's order."""
        return [(code, name, *self.phase(code)) for code, name in PHASES.items()]


FIRST_YEAR, LAST_YEAR = 2000, 2100


def check_year(year: int) -> None:
    """Refuse (422) a year no plan can have."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors = FieldErrors()
        errors.add("year", _l("A year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))
        errors.raise_if_any(_l("No plan for this year."))


def plan_for(session: Session, year: int) -> Plan:
    """YEAR's plan: the stored one, else the default dates."""
    check_year(year)
    row = session.get(SupervisionPlan, year)
    if row is None:
        return Plan(year, default_dates(year))
    return Plan(year, {name: getattr(row, name) for name in DATE_FIELDS}, row.notes or "", row.version, True)


def phase_on(plan: Plan, day: date) -> list[str]:
    """The phases of PLAN under way on DAY (several overlap: tracking and the inspection within implementation)."""
    return [code for code in PHASES if plan.phase(code)[0] <= day <= plan.phase(code)[1]]


def _checked_dates(year: int, data: dict, errors: FieldErrors) -> dict[str, date]:
    dates = {}
    first, last = date(year, 1, 1), date(year + 1, 12, 31)
    for name in DATE_FIELDS:
        raw = data.get(name)
        if isinstance(raw, date):
            day = raw
        else:
            try:
                day = values.parse_date(raw) if isinstance(raw, str) else None
            except ValueError:
                day = None
            if day is None:
                errors.add(name, values.DATE_MESSAGE)
                continue
        if not first <= day <= last:
            errors.add(name, _l("Between %(first)s and %(last)s.", first=first.isoformat(), last=last.isoformat()))
            continue
        dates[name] = day
    for code in PHASES:
        start, end = dates.get(f"{code}_start"), dates.get(f"{code}_end")
        if start and end and end < start:
            errors.add(f"{code}_end", _l("Not before the phase's start."))
    if dates.get("tracking_start") and dates.get("inspection_start") and \
            dates["inspection_start"] < dates["tracking_start"]:
        errors.add("inspection_start", _l("The mid-year inspection starts within the tracking phase."))
    if dates.get("tracking_end") and dates.get("inspection_end") and dates["inspection_end"] > dates["tracking_end"]:
        errors.add("inspection_end", _l("The mid-year inspection ends within the tracking phase."))
    if dates.get("implementation_start") and dates.get("summary_start") and \
            dates["summary_start"] <= dates["implementation_start"]:
        errors.add("summary_start", _l("The summary starts after the implementation starts."))
    return dates


def save_plan(session: Session, actor, year: int, data: dict) -> Plan:
    """Store YEAR's plan (an inspector or the admin): the ten dates, notes and the `version` read (0: the
    defaults were read); a stale version is refused (409), bad dates (422) change nothing."""
    policy.require(actor, "supervision.manage")
    check_year(year)
    errors = FieldErrors()
    version_read = versions.read(data, errors)
    for name in sorted(set(data) - set(DATE_FIELDS) - {"notes", "version"}):
        errors.add(name, _l("This field cannot be changed."))
    dates = _checked_dates(year, data, errors)
    notes = data.get("notes")
    if notes is not None and (not isinstance(notes, str) or len(notes) > 4000):
        errors.add("notes", _l("At most %(n)s characters.", n=4000))
    errors.raise_if_any(_l("The plan was not saved."))
    row = session.get(SupervisionPlan, year)
    before = _fields(plan_for(session, year))
    was_stored = row is not None
    versions.refuse_stale(version_read, row.version if row else 0, _l(
        "Someone else changed the plan of %(year)s since you read it; reload it and make your change again.",
        year=year))
    if row is None:
        row = SupervisionPlan(year=year, **default_dates(year))
    for name, day in dates.items():
        setattr(row, name, day)
    row.notes = (notes or "").strip()
    row.updated_by_id = getattr(actor, "id", None)
    # The row's version column moves on with any change and guards the UPDATE against a save in between; two
    # first saves of a year at once meet at its key: the later one is refused like a stale one.
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(_l("Someone else changed the plan of %(year)s since you read it; reload it and make your "
                          "change again.", year=year), {"version": [_l("Stale version.")]}) from None
    changes = history.diff(before, _fields(plan_for(session, year)))
    if changes or not was_stored:
        history.record(session, actor, "supervision_plan", year, "update" if was_stored else "create",
                       changes=changes)
    return plan_for(session, year)


def _fields(plan: Plan) -> dict:
    return {**{name: day.isoformat() for name, day in plan.dates.items()}, "notes": plan.notes}


@dataclass
class OpenProject:
    project: SupervisionProject
    open_recommendations: int


def open_at_year_end(session: Session, actor, year: int) -> list[OpenProject]:
    """The projects of YEAR that ACTOR may see and that are under way (filed or the office's drafts; not closed,
    cancelled or a proposal waiting to be filed), by code, each with
    how many of its recommendations (that ACTOR may see) are not verified yet."""
    projects = list(session.scalars(service.project_query(actor, year=year).order_by(None)
                                    .where(SupervisionProject.state.not_in(NOT_UNDER_WAY))
                                    .order_by(SupervisionProject.code)))
    counts = service.recommendation_counts(session, actor, [p.id for p in projects])
    return [OpenProject(p, counts.get(p.id, (0, 0))[0]) for p in projects]


def without_inspection(actor, year: int):
    """The query of YEAR's projects under way (monitored, recommending, rectifying) that have no mid-year
    inspection record yet, as ACTOR may see them."""
    inspected = exists().where(SupervisionInspection.project_id == SupervisionProject.id)
    return (service.project_query(actor, year=year).order_by(None)
            .where(SupervisionProject.state.in_(INSPECTED_STATES), ~inspected).order_by(SupervisionProject.code))


def count_without_inspection(session: Session, actor, year: int) -> int:
    stmt = without_inspection(actor, year).order_by(None).with_only_columns(func.count(SupervisionProject.id))
    return session.scalar(stmt) or 0


def open_projects_units(session: Session, year: int) -> set[int]:
    """The units that lead or take part in a project of YEAR not closed or cancelled."""
    projects = session.scalars(select(SupervisionProject).where(SupervisionProject.year == year,
                                                                SupervisionProject.state.not_in(NOT_UNDER_WAY)))
    return {unit for p in projects for unit in {p.lead_unit_id} | {u.id for u in p.participating_units}}


def count_open(session: Session, year: int) -> int:
    """How many projects of YEAR are neither closed nor cancelled (the whole company's)."""
    return session.scalar(select(func.count(SupervisionProject.id)).where(
        SupervisionProject.year == year, SupervisionProject.state.not_in(NOT_UNDER_WAY))) or 0


def _phase_params(params: dict) -> dict:
    """A phase's name in the reader's language, and for the summary how many projects are still open."""
    phase, still_open = params.get("phase"), params.get("open_projects")
    note = ""
    if isinstance(still_open, int):
        # The space between the sentences is the language's (none in Chinese), so it is in the message.
        note = ngettext(" %(num)d project of the year is still open.",
                        " %(num)d projects of the year are still open.", still_open)
    return {"phase": str(PHASES.get(phase, phase)), "open_note": note}


kinds.READ_PARAMS["supervision_phase"] = _phase_params


def announce_phases(session: Session, day: date, claim, now=None) -> list[str]:
    """The phases (of this year's plan and last year's, whose summary runs into January) under way on DAY whose
    start has not been announced yet: each told once (CLAIM(year, phase) is True the first time), even when
    the day it started passed without a run. Returns "YEAR:PHASE" of each announced."""
    announced = []
    for year in (day.year - 1, day.year):
        plan = plan_for(session, year)
        for phase in phase_on(plan, day):
            if not claim(year, phase):
                continue
            start, end = plan.phase(phase)
            events.supervision_phase(
                session, year, phase, start, end,
                unit_ids=open_projects_units(session, year) if phase == "inspection" else (),
                open_projects=count_open(session, year) if phase == "summary" else None, now=now)
            announced.append(f"{year}:{phase}")
    return announced
