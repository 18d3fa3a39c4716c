"""Each event the services raise: who is told (the rule), what the title says and where it links. A
service calls the event's function in the transaction of its change; one function per kind, in one place.
"""
from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from ..auth import policy
from ..auth.models import Unit, User
from ..values import COMPANY_WIDE
from . import recipients
from .service import Event, notify, notify_many

# session.info key of the warnings raised inside `warnings_told_together`, told when it ends.
_COLLECTED = "riskflow.notifications.warnings_raised"


def action_assigned(session: Session, action) -> int:
    """An action was given to its owner (made, or its owner changed): the owner is told."""
    owner = session.get(User, action.owner_id)
    return notify(session, "action_assigned", [owner], action, entity="action",
                  params={"code": action.code, "title": action.title, "due": action.due_date},
                  link=f"/actions/{action.id}")


def lesson_shared(session: Session, incident, actor=None) -> int:
    """An incident became a warning case (警示案例): every unit's officers and head and the risk managers but
    ACTOR (who marked it) are told, once per incident however often it is marked. Its shared view belongs to the whole company (every
    unit reads it), so the link is the shared case page, never the full incident, and the group message goes to
    the company's robot."""
    people = recipients.all_units_people(session) + [
        user for user in recipients.with_role(session, "risk_manager") if user.id != getattr(actor, "id", None)]
    return notify(session, "lesson_shared", people, None, entity="incident", entity_id=incident.id,
                  params={"code": incident.code, "title": incident.title}, link=f"/incidents/cases#{incident.code}",
                  dedupe=f"lesson_shared:{incident.id}", read_action="warning_case.read")
# Supervision, the incident collection and the reports (events2).

def recommendation_issued(session: Session, rec) -> int:
    """A recommendation letter reached its responsible unit: the unit's officers and head are told, once per
    unit (a letter readdressed to another unit tells the new one)."""
    unit = session.get(Unit, rec.responsible_unit_id)
    return notify(session, "recommendation_issued", recipients.unit_people(session, unit.id), rec,
                  entity="recommendation",
                  params={"letter_no": rec.letter_no, "unit": unit.name, "due": rec.due_date},
                  link=f"/recommendations/{rec.id}", dedupe=f"recommendation_issued:{rec.id}:{unit.id}")


def rectification_submitted(session: Session, rec) -> int:
    """The responsible unit submitted its rectification report: the inspectors are told to verify it."""
    return notify(session, "rectification_submitted", recipients.with_role(session, "inspector"), rec,
                  entity="recommendation", params={"letter_no": rec.letter_no},
                  link=f"/recommendations/{rec.id}")


def _short(text: str, limit: int = 200) -> str:
    """TEXT cut to LIMIT characters for a title (a mail's subject, a group message); the page has it whole."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def rectification_returned(session: Session, rec, reason: str) -> int:
    """The inspector sent a rectification back: the responsible unit's officers and head read why."""
    return notify(session, "rectification_returned", recipients.unit_people(session, rec.responsible_unit_id), rec,
                  entity="recommendation", params={"letter_no": rec.letter_no, "reason": _short(reason)},
                  link=f"/recommendations/{rec.id}")


def supervision_notice(session: Session, notice) -> int:
    """A 效能监察通知书 was issued to a unit: the unit's officers and head are told, once per notice."""
    return notify(session, "supervision_notice", recipients.unit_people(session, notice.recipient_unit_id), notice,
                  entity="supervision_notice",
                  params={"number": notice.number, "subject": _short(notice.subject)},
                  link=f"/supervision/{notice.project_id}#notices", dedupe=f"supervision_notice:{notice.id}")


def proposal_submitted(session: Session, project) -> int:
    """A unit head proposed a project (or resubmitted one sent back): the inspectors are told to review it."""
    return notify(session, "proposal_submitted", recipients.with_role(session, "inspector"), project,
                  entity="supervision_project",
                  params={"code": project.code, "title": project.title, "unit": project.lead_unit.name},
                  link=f"/supervision/{project.id}")


def proposal_returned(session: Session, project, reason: str) -> int:
    """The inspection office sent a proposal back: the proposing unit's heads read why."""
    return notify(session, "proposal_returned", recipients.unit_heads(session, project.lead_unit_id), project,
                  entity="supervision_project",
                  params={"code": project.code, "title": project.title, "reason": _short(reason)},
                  link=f"/supervision/{project.id}")


def incident_round_opened(session: Session, rnd, unit_ids) -> int:
    """A quarter's incident collection opened: the officers and heads of UNIT_IDS (the units that answer it)
    are told; company-wide."""
    return notify(session, "incident_round_opened", recipients.unit_people(session, unit_ids), None,
                  entity="incident_round", entity_id=rnd.id,
                  params={"quarter": rnd.quarter, "deadline": rnd.deadline}, link="/incidents/collection",
                  dedupe=f"incident_round_opened:{rnd.id}")


def report_draft(session: Session, report) -> int:
    """A monthly report's draft waits for review: the risk managers are told (by mail at once, by default).
    The title names the report in the reader's language (reports.service registers how)."""
    return notify(session, "report_draft", recipients.with_role(session, "risk_manager"), report, entity="report",
                  params={"report_kind": report.kind, "period": report.period}, link=f"/reports/{report.id}",
                  read_action="report.issue", dedupe=f"report_draft:{report.id}")


@dataclass(frozen=True)
class _OfUnit:
    """What the policy reads for a unit's own part of a company item (its version of a monthly report)."""

    unit_id: int


def report_issued(session: Session, report, actor=None) -> int:
    """A report was issued: everyone who may read reports is told, but ACTOR, who issued it. A monthly report
    also has each unit's version (本单位版, on /reports for the unit's roles): every unit's officers and head are
    told, each as an item of their own unit."""
    readers = recipients.with_role(session, *sorted(policy.PERMISSIONS["report.read"]))
    params = {"report_kind": report.kind, "period": report.period}
    dedupe = f"report_issued:{report.id}"
    told = [Event([u for u in readers if u.id != getattr(actor, "id", None)], report, "report", report.id, params,
                  "/reports", dedupe)]
    if report.kind == "monthly":
        by_unit: dict[int, list[User]] = defaultdict(list)
        for user in recipients.all_units_people(session):
            by_unit[user.unit_id].append(user)
        told += [Event(people, _OfUnit(unit_id), "report", report.id, params, "/reports", dedupe)
                 for unit_id, people in by_unit.items()]
    return notify_many(session, "report_issued", told, read_action="report.read_unit")
def grading_link(period: str) -> str:
    """The grading page of PERIOD: where a unit's people grade and sign off the month."""
    return f"/grading?period={period}"


def round_opened(session: Session, rnd, actor, *, unit=None, deadline=None) -> int:
    """A grading round opened: every unit's officers and heads, and the risk managers but the one who opened it
    (company-wide: the company's group robot). With UNIT (an object of one unit_id), the closed round was
    reopened for that unit alone, until DEADLINE: only its people are told (and its group)."""
    params = {"period": rnd.period, "deadline": deadline or rnd.deadline}
    if unit is not None:
        people = recipients.unit_people(session, unit.unit_id)
    else:
        people = recipients.all_units_people(session) + [
            user for user in recipients.with_role(session, "risk_manager") if user.id != getattr(actor, "id", None)]
    return notify(session, "round_opened", people, unit, entity="grading_round", entity_id=rnd.id, params=params,
                  link=grading_link(rnd.period))


def sheet_returned(session: Session, sheet, actor, period: str, unit_name: str, reason: str) -> int:
    """A unit's grading sheet was returned with REASON: its officers are told, and its head when the risk
    manager (not the head) returned it. The title holds the reason on one line (a mail's subject, a group
    message); the sheet has it whole."""
    roles = {"risk_officer"} if actor.role == "unit_head" else {"risk_officer", "unit_head"}
    people = [user for user in recipients.unit_people(session, sheet.unit_id) if user.role in roles]
    return notify(session, "sheet_returned", people, sheet, entity="grading_sheet",
                  params={"unit": unit_name, "period": period, "reason": _short(reason)}, link=grading_link(period))


def warning_raised(session: Session, warnings) -> int:
    """WARNINGS were raised: each to its unit's officers and head (a company-wide one to the risk managers),
    and its unit's group robot. Any number of warnings costs the same few statements (one recipients query per
    rule, then notify_many). Inside `warnings_told_together` they wait for the block's end."""
    warnings = list(warnings)
    collected = session.info.get(_COLLECTED)
    if collected is not None:
        collected.extend(warnings)
        return 0
    # A warning withdrawn in the same work (deleted), or whose savepoint was rolled back, is not told.
    deleted = session.deleted
    warnings = [w for w in warnings if inspect(w).persistent and w not in deleted]
    if not warnings:
        return 0
    by_unit: dict[int | None, list[User]] = defaultdict(list)
    for user in recipients.unit_people(session, {w.unit_id for w in warnings} - {None}):
        by_unit[user.unit_id].append(user)
    if any(w.unit_id is None for w in warnings):
        by_unit[None] = recipients.with_role(session, "risk_manager")
    # The link opens the month's list filtered to the warning's unit (全公司: "-"), at its row: a month of every
    # unit's warnings runs to several pages.
    unit_ids = {w.unit_id for w in warnings} - {None}  # a unit with nobody to tell still has its group
    codes = dict(session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}
    codes[None] = COMPANY_WIDE
    return notify_many(session, "warning_raised", [
        Event(by_unit[w.unit_id], w, entity="warning", params={"code": w.code, "title": w.title, "period": w.period},
              link=f"/warnings?period={w.period}&unit={codes[w.unit_id]}#warning-{w.id}") for w in warnings])


@contextmanager
def warnings_told_together(session: Session):
    """Within the block, the warnings raised are told together when it ends (a recompute, an import, a sheet of
    grades): one warning_raised for all of them. Nested blocks tell at the outermost one's end; a block that
    fails tells nothing."""
    if session.info.get(_COLLECTED) is not None:
        yield
        return
    collected = session.info[_COLLECTED] = []
    try:
        yield
    finally:
        session.info.pop(_COLLECTED, None)
    warning_raised(session, collected)


def supervision_phase(session: Session, year: int, phase: str, start, end, *, unit_ids=(),
                      open_projects: int | None = None, now=None) -> int:
    """A phase of YEAR's supervision plan started (told once per year and phase): the inspectors always; at
    the preparation also every unit's head (a unit may propose its own projects); at the mid-year inspection
    also the heads of UNIT_IDS (the units leading or taking part in an open project of the year). The summary's
    title says how many projects are still open (OPEN_PROJECTS)."""
    people = recipients.with_role(session, "inspector")
    if phase == "preparation":
        people += recipients.with_role(session, "unit_head")
    elif phase == "inspection":
        people += [user for user in recipients.with_role(session, "unit_head") if user.unit_id in set(unit_ids)]
    params = {"year": year, "phase": phase, "start": start, "end": end, "open_projects": open_projects}
    return notify(session, "supervision_phase", people, None, entity="supervision_plan", entity_id=year,
                  params=params, link=f"/supervision/plan?year={year}", dedupe=f"supervision_phase:{year}:{phase}",
                  now=now)


# risklinks: a recommendation's risk proposals and their decision.
def _proposal_what(session: Session, proposal) -> str:
    """The proposal in the title: the new risk's title, or the regraded risk's code, with the grade."""
    from ..register.models import Risk

    what = proposal.title if proposal.kind == "new" else session.get(Risk, proposal.risk_id).code
    return f"{_short(what, 100)} {proposal.likelihood}×{proposal.impact}"


def risk_proposed(session: Session, proposal) -> int:
    """A recommendation's finding proposed a new risk or a regrade: the risk managers are told to decide."""
    unit = session.get(Unit, proposal.unit_id)
    return notify(session, "risk_proposed", recipients.with_role(session, "risk_manager"), proposal,
                  entity="risk_proposal", params={"letter_no": proposal.recommendation.letter_no, "unit": unit.name,
                                                  "what": _proposal_what(session, proposal)},
                  link="/risk-proposals?state=proposed", read_action="risk_proposal.decide",
                  dedupe=f"risk_proposed:{proposal.id}")


def risk_proposal_decided(session: Session, proposal) -> int:
    """The risk manager accepted or declined a proposal: its proposer is told (a decline with the reason on the
    recommendation's page)."""
    proposer = session.get(User, proposal.created_by_id) if proposal.created_by_id else None
    return notify(session, "risk_proposal_decided", [proposer] if proposer else [], proposal,
                  entity="risk_proposal", params={"letter_no": proposal.recommendation.letter_no,
                                                  "what": _proposal_what(session, proposal),
                                                  "decision": proposal.state},
                  link=f"/recommendations/{proposal.recommendation_id}#risk-proposals",
                  dedupe=f"risk_proposal_decided:{proposal.id}")
