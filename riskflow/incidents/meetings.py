"""The quarterly review meeting: its record, and the incidents it reviewed (each fires `review`)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import history, periods
from ..actions import service as actions
from ..actions.models import Action
from ..auth import policy
from ..db import valid_id
from ..errors import FieldErrors, RiskflowError
from ..validation import a_date
from ..workflow import engine
from . import cases
from .models import Incident, MeetingItem, ReviewMeeting


def _units_reviewed(session: Session, entry) -> set[int] | None:
    """The units of the incidents a meeting's history entry names."""
    codes = (entry.changes or {}).get("incidents", [None, None])[1]
    if not codes:
        return None
    return set(session.scalars(select(Incident.unit_id).where(Incident.code.in_(codes))))


history.register_entity("review_meeting", lambda s, id_: s.get(ReviewMeeting, id_), _units_reviewed)


def record(session: Session, actor, data: dict) -> ReviewMeeting:
    """Record a meeting and review each incident it discussed, with the meeting's conclusion (an item with
    `warning_case` true is also marked as a warning case); all or nothing."""
    policy.require(actor, "meeting.manage")
    errors = FieldErrors()
    quarter = data.get("quarter")
    if not periods.is_quarter(quarter):
        errors.add("quarter", periods.QUARTER_MESSAGE)
    held = a_date(data.get("held_on"), "held_on", errors, required=True)
    if held is not None and held > periods.today():
        errors.add("held_on", _l("The date is in the future."))
    texts = {}
    for name in ("attendees", "conclusions", "actions"):
        value = data.get(name) or ""
        if not isinstance(value, str) or len(value) > 8000:
            errors.add(name, _l("At most %(n)d characters.", n=8000))
        else:
            texts[name] = value.strip()
    if not texts.get("attendees"):
        errors.add("attendees", _l("This field is required."))
    items = data.get("items") or []
    if not isinstance(items, list) or not items:
        errors.add("items", _l("Name the incidents the meeting reviewed."))
        items = []
    incidents = []
    for item in items:
        incident_id = item.get("incident_id") if isinstance(item, dict) else None
        incident = session.get(Incident, incident_id) if valid_id(incident_id) else None
        if incident is None:
            errors.add("items", _l("Unknown incident %(id)s.", id=incident_id))
        else:
            incidents.append((incident, str(item.get("conclusion") or "").strip(), item.get("warning_case") is True))
    decisions = _decisions(session, actor, data.get("decisions"), errors)
    errors.raise_if_any(_l("The meeting was not recorded."))
    meeting = ReviewMeeting(quarter=quarter, held_on=held, recorded_by_id=actor.id, **texts)
    session.add(meeting)
    session.flush()
    for incident, conclusion, _case in incidents:
        engine.fire(session, incident, "review", actor,
                    comment=conclusion or str(_l("Reviewed at the meeting of %(date)s.", date=held.isoformat())))
        session.add(MeetingItem(meeting_id=meeting.id, incident_id=incident.id, conclusion=conclusion))
    session.flush()
    history.record(session, actor, "review_meeting", meeting.id, "create",
                   changes={"quarter": [None, quarter], "incidents": [None, [i.code for i, _, _ in incidents]]})
    # The meeting marks its warning cases (警示案例) as it reviews them.
    for incident, _conclusion, case in incidents:
        if case:
            cases.mark(session, actor, incident.id, True)
    for n, decision in decisions:
        try:
            actions.create(session, actor, {**decision, "meeting_id": meeting.id})
        except RiskflowError as exc:
            exc.errors = {f"decisions.{n}.{name}": messages for name, messages in exc.errors.items()}
            raise
    return meeting


DECISION_FIELDS = ("title", "owner", "due_date")


def _decisions(session: Session, actor, rows, errors: FieldErrors) -> list[tuple[int, dict]]:
    """The meeting's decisions (each {title, owner, due_date}, an action to make), checked as actions are, with
    their row numbers; rows left empty are skipped. Errors are named `decisions.N.field`."""
    if rows is None:
        return []
    if not isinstance(rows, list):
        errors.add("decisions", _l("A list of decisions."))
        return []
    found = []
    for n, row in enumerate(rows):
        if not isinstance(row, dict):
            errors.add(f"decisions.{n}", _l("A decision: title, owner and due date."))
            continue
        decision = {name: row.get(name) for name in DECISION_FIELDS}
        if all(value in (None, "") for value in decision.values()):
            continue
        checked = FieldErrors()
        actions.values_of(session, actor, decision, checked)
        for name, messages in checked.errors.items():
            for message in messages:
                errors.add(f"decisions.{n}.{name}", message)
        found.append((n, decision))
    return found


def decisions_of(session: Session, actor, meeting_ids) -> dict[int, list[Action]]:
    """The actions each meeting decided (those ACTOR may see), by meeting id: one query."""
    if not meeting_ids:
        return {}
    result: dict[int, list[Action]] = {}
    for action in session.scalars(actions.query(actor).where(Action.meeting_id.in_(list(meeting_ids)))):
        result.setdefault(action.meeting_id, []).append(action)
    return result


def for_quarter(session: Session, actor, quarter: str) -> list[tuple[ReviewMeeting, list[MeetingItem]]]:
    """QUARTER's meetings, each with the reviewed incidents ACTOR may see (a unit's roles: their own unit's)."""
    meetings = session.scalars(select(ReviewMeeting).where(ReviewMeeting.quarter == quarter)
                               .order_by(ReviewMeeting.held_on))
    return [(meeting, [item for item in meeting.items if policy.in_scope(actor, item.incident)])
            for meeting in meetings]
