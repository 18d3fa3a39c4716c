"""Projects and recommendations: filing, recommendations, guards, rectification effects."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from .. import attachments, history, numbering, periods
from ..auth import policy
from ..auth.service import unit_by_code
from ..auth.models import Unit
from ..db import MAX_ID, utcnow
from ..errors import Conflict, FieldErrors
from ..notifications import events
from ..validation import a_date, one_of, texts, yuan
from ..values import whole_or
from ..workflow import engine
from ..workflow.store import current_version
from . import escalation
from . import kinds
from . import risklinks
from .labels import METHOD_LABELS
from .models import (FILED_BENEFIT, Recommendation, SupervisionBenefit, SupervisionInspection, SupervisionNotice,
                     SupervisionProject, project_units)

DEFAULT_REPLY_DAYS = 30
TEXT_FIELDS = {"title": 200, "reason": 4000, "scope": 4000, "control_points": 4000, "plan": 8000,
               "indirect_benefit": 4000}

# Generated numbers: projects by year (`XJ-2026-001`), recommendation letters by the year issued (监建〔2026〕7号).
PROJECT_CODES = numbering.Series("project", "XJ-{scope}-{n:03d}", SupervisionProject.code)
LETTER_NUMBERS = numbering.Series("letter", "监建〔{scope}〕{n}号", Recommendation.letter_no)


def _unit_recommended_to(session: Session, entry) -> set[int] | None:
    """The unit a project's `recommend` entry speaks of: the one its recommendation is addressed to; a `notice`
    entry's, the unit the notice was sent to."""
    if entry.action == "notice":
        return history.units_named(session, entry, units=("recipient_unit",))
    letter_no = (entry.changes or {}).get("recommendation", [None, None])[1]
    if letter_no is None:
        return None
    return {session.scalar(select(Recommendation.responsible_unit_id).where(Recommendation.letter_no == letter_no))}


history.register_entity("supervision_project", lambda s, id_: s.get(SupervisionProject, id_), _unit_recommended_to)
# A recommendation readdressed to another unit: the entries naming the first unit are not for the second.
history.register_entity("recommendation", lambda s, id_: s.get(Recommendation, id_),
                        lambda s, entry: history.units_named(s, entry, units=("responsible_unit",)))
attachments.OWNERS["supervision_project"] = lambda s, id_: s.get(SupervisionProject, id_)
attachments.OWNERS["recommendation"] = lambda s, id_: s.get(Recommendation, id_)


def project_values(session: Session, data: dict, errors: FieldErrors,
                   current: SupervisionProject | None = None, actor=None) -> dict:
    """The checked column values of the project fields in DATA: every field when creating (CURRENT None), only
    those sent when editing CURRENT (whose other values still count for the checks across fields)."""
    creating = current is None
    sent = (lambda name: True) if creating else (lambda name: name in data)
    values = texts(data, {k: n for k, n in TEXT_FIELDS.items() if sent(k)}, errors)
    if sent("title") and not values.get("title"):
        errors.add("title", _l("A title is required."))
    if creating or "year" in data:
        year = data.get("year", periods.today().year)
        if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
            errors.add("year", _l("A year such as 2026."))
        values["year"] = year
    kind_labels = kinds.labels(session) if sent("kind") else {}
    if current is not None and current.kind not in kind_labels:  # a retired kind may stay on its projects
        kind_labels[current.kind] = current.kind
    for name, allowed in (("kind", kind_labels), ("method", METHOD_LABELS)):
        if sent(name):
            if data.get(name) not in allowed:
                errors.add(name, one_of(allowed))
            values[name] = data.get(name)
    if sent("lead_unit"):
        lead = unit_by_code(session, str(data.get("lead_unit") or ""))
        if not data.get("lead_unit"):
            errors.add("lead_unit", _l("Choose the lead unit."))
        elif lead is None:
            errors.add("lead_unit", _l("Unknown unit %(code)s.", code=data.get("lead_unit")))
        else:
            values["lead_unit_id"] = lead.id
    if sent("participating_units"):
        participating = []
        raw_units = data.get("participating_units") or []
        if not isinstance(raw_units, list):
            errors.add("participating_units", _l("A list of unit codes."))
            raw_units = []
        for code in raw_units:
            unit = unit_by_code(session, str(code or ""))
            if unit is None:
                errors.add("participating_units", _l("Unknown unit %(code)s.", code=code))
            elif unit not in participating:
                participating.append(unit)
        values["participating_units"] = participating
    for name in ("start_date", "end_date"):
        if sent(name):
            values[name] = a_date(data.get(name), name, errors)
    start = values.get("start_date") if "start_date" in values else current.start_date
    end = values.get("end_date") if "end_date" in values else current.end_date
    if start and end and end < start and ("start_date" in values or "end_date" in values):
        errors.add("end_date", _l("The end comes before the start."))
    if creating or risklinks.sends_risks(data):
        values["risks"] = risklinks.named_risks(session, data, errors, current=current.risks if current else (),
                                                actor=actor)
    if sent("economic_benefit"):
        amount = yuan(data.get("economic_benefit"), "economic_benefit", errors)
        if creating:
            values["economic_benefit"] = amount  # recorded as the first benefit entry
        elif amount != current.economic_benefit and "economic_benefit" not in errors.errors:
            # The benefit is the sum of its entries: a typed total would disagree with them.
            errors.add("economic_benefit", _l("The economic benefit is the sum of the benefits recorded; "
                                              "record a benefit instead."))
    return values


def create_project(session: Session, actor, data: dict) -> SupervisionProject:
    """File a project's form in draft: title, kind, method, lead and participating units, plan. A unit head's
    call is a proposal for their own unit (所属企业自选立项), waiting for the inspection office as `proposed`."""
    proposing = not policy.role_allows(actor, "supervision.manage") and policy.role_allows(actor, "supervision.propose")
    if not proposing:
        policy.require(actor, "supervision.manage")
    errors = FieldErrors()
    if proposing:
        data = proposal_data(session, actor, data, errors, creating=True)
    values = project_values(session, data, errors, actor=actor)
    errors.raise_if_any(_l("The proposal was not saved.") if proposing else _l("The project was not saved."))
    participating = values.pop("participating_units")
    filed_benefit = values.pop("economic_benefit", 0)
    workflow = engine.workflows()["supervision_project"]
    project = SupervisionProject(
        code=numbering.next_code(session, PROJECT_CODES, str(values["year"])),
        state=PROPOSED if proposing else workflow.initial,
        origin="unit" if proposing else "company", proposed_by_id=actor.id if proposing else None,
        workflow_version=current_version(session, "supervision_project"), created_by_id=actor.id, **values)
    project.participating_units = participating
    session.add(project)
    session.flush()
    history.record(session, actor, "supervision_project", project.id, "propose" if proposing else "create",
                   to_state=project.state, changes={"code": [None, project.code], "title": [None, project.title],
                                                    **_named(project.risks)})
    if filed_benefit:
        kind, note = FILED_BENEFIT
        session.add(SupervisionBenefit(project_id=project.id, amount=filed_benefit, kind=kind, description=note,
                                       created_by_id=actor.id))
        session.flush()
        session.expire(project, ["economic_benefit"])
    if proposing:
        events.proposal_submitted(session, project)
    return project


# A unit's proposal waits for the inspection office in PROPOSED, and in RETURNED once sent back to the unit.
PROPOSED, RETURNED = "proposed", "returned"
PROPOSAL_STATES = (PROPOSED, RETURNED)


def proposal_data(session: Session, actor, data: dict, errors: FieldErrors, creating: bool = False) -> dict:
    """DATA of a unit head's proposal (new or edited) as the filing form takes it: the lead unit is the head's own
    unit; the participating units and the benefit are the inspection office's to record (another value: an
    error at its field)."""
    own = session.get(Unit, actor.unit_id)
    if data.get("lead_unit") not in (None, "", own.code):
        errors.add("lead_unit", _l("A unit proposes projects for itself: the lead unit is %(unit)s.", unit=own.name))
    if data.get("participating_units"):
        errors.add("participating_units", _l("The inspection office names the participating units when it files "
                                             "the project."))
    if data.get("economic_benefit"):
        errors.add("economic_benefit", _l("Benefits are recorded by the inspection office."))
    data = {key: value for key, value in data.items()
            if key not in ("lead_unit", "participating_units", "economic_benefit")}
    return {**data, "lead_unit": own.code, "participating_units": []} if creating else data


def get_project(session: Session, actor, project_id: int) -> SupervisionProject:
    """A project ACTOR may see (another unit's is NotFound)."""
    return policy.require_found(actor, "supervision_project.read", session.get(SupervisionProject, project_id))


def project_query(actor, *, year: int | None = None, state: str | None = None):
    """The projects ACTOR may see, newest first."""
    policy.require(actor, "supervision_project.read")
    stmt = select(SupervisionProject).order_by(SupervisionProject.year.desc(), SupervisionProject.code.desc())
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        concerned = select(project_units.c.project_id).where(project_units.c.unit_id == scope)
        recommended = select(Recommendation.project_id).where(Recommendation.responsible_unit_id == scope)
        noticed = select(SupervisionNotice.project_id).where(SupervisionNotice.recipient_unit_id == scope)
        stmt = stmt.where(or_(SupervisionProject.lead_unit_id == scope, SupervisionProject.id.in_(concerned),
                              SupervisionProject.id.in_(recommended), SupervisionProject.id.in_(noticed)))
    if year:
        stmt = stmt.where(SupervisionProject.year == year)
    if state:
        stmt = stmt.where(SupervisionProject.state == state)
    return stmt


def add_recommendation(session: Session, actor, project_id: int, data: dict) -> Recommendation:
    """Record a finding and its recommendation to a unit, due in 30 days unless a date is given."""
    project = get_project(session, actor, project_id)
    policy.require(actor, "supervision.manage", project)
    if project.state not in ("monitoring", "recommendation", "rectification"):
        raise Conflict(_l("Recommendations are made while the project is monitored, not in the state %(state)s.",
                          state=engine.state_label(engine.definition(project), project.state)),
                       {"state": [_l("Not possible now.")]})
    errors = FieldErrors()
    values = recommendation_values(session, data, errors, project=project)
    errors.raise_if_any(_l("The recommendation was not saved."))
    unit = values.pop("responsible_unit")
    due = values.pop("due_date", None) or periods.today() + timedelta(days=DEFAULT_REPLY_DAYS)
    today = periods.today()
    rec = Recommendation(project=project, letter_no=numbering.next_code(session, LETTER_NUMBERS, str(today.year)),
                         responsible_unit_id=unit.id, due_date=due,
                         state=engine.workflows()["recommendation"].initial,
                         workflow_version=current_version(session, "recommendation"), created_by_id=actor.id,
                         **values)
    session.add(rec)
    session.flush()
    history.record(session, actor, "recommendation", rec.id, "create", to_state=rec.state,
                   changes={"letter_no": [None, rec.letter_no], "responsible_unit": [None, unit.code],
                            "due_date": [None, due.isoformat()], **_named(rec.risks)})
    history.record(session, actor, "supervision_project", project.id, "recommend",
                   changes={"recommendation": [None, rec.letter_no]})
    if is_issued(rec):
        events.recommendation_issued(session, rec)
    return rec


def _named(risks) -> dict:
    """The risks an item was recorded naming, as its history shows them (codes); nothing when none."""
    return {"risks": [None, [risk.code for risk in risks]]} if risks else {}


def is_issued(rec: Recommendation) -> bool:
    """A recommendation has gone out to its unit once its project has issued the recommendations (下达监察建议):
    those recorded while monitoring go out together then, those recorded later at once."""
    return rec.project.state in ("recommendation", "rectification", "closed")


def recommendation_values(session: Session, data: dict, errors: FieldErrors,
                          current: Recommendation | None = None, project: SupervisionProject | None = None) -> dict:
    """The checked values of the recommendation fields in DATA: every field when recording one for PROJECT
    (CURRENT None), only those sent when editing CURRENT. `responsible_unit` is the Unit; `due_date` is absent when
    not given; `inspection_id` (the mid-year inspection it was raised from) is one of the project's or None."""
    sent = (lambda name: True) if current is None else (lambda name: name in data)
    values = texts(data, {name: 8000 for name in ("finding", "recommendation", "basis") if sent(name)}, errors)
    for name in ("finding", "recommendation"):
        if sent(name) and name in values and not values[name]:
            errors.add(name, _l("This field is required."))
    if sent("responsible_unit"):
        unit = unit_by_code(session, str(data.get("responsible_unit") or ""))
        if unit is None:
            errors.add("responsible_unit", _l("Unknown unit %(code)s.", code=data.get("responsible_unit")))
        values["responsible_unit"] = unit
    if current is None or risklinks.sends_risks(data):
        values["risks"] = risklinks.named_risks(session, data, errors, current=current.risks if current else ())
    due = a_date(data.get("due_date"), "due_date", errors)
    # A deadline may not be set in the past; one left as it was stays, even when it has passed since.
    if due is not None and (current is None or due != current.due_date):
        if due < periods.today():
            errors.add("due_date", _l("The reply deadline has already passed."))
        values["due_date"] = due
    if sent("inspection_id"):
        values["inspection_id"] = _inspection_of(session, current.project_id if current else project.id,
                                                 data.get("inspection_id"), errors)
    return values


def _inspection_of(session: Session, project_id: int, value, errors: FieldErrors) -> int | None:
    """The id of the inspection of PROJECT_ID named by VALUE (an id, or its digits from a form); None for none."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = whole_or(value, None)
    inspection = session.get(SupervisionInspection, value) if isinstance(value, int) and not isinstance(
        value, bool) and 0 < value <= MAX_ID else None
    if inspection is None or inspection.project_id != project_id:
        errors.add("inspection_id", _l("Not an inspection of this project."))
        return None
    return inspection.id


def get_recommendation(session: Session, actor, rec_id: int) -> Recommendation:
    return policy.require_found(actor, "recommendation.read", session.get(Recommendation, rec_id))


def _scoped(stmt, actor):
    """STMT (over recommendations) limited to those addressed to ACTOR's unit, for the unit roles."""
    scope = policy.scope_unit_id(actor)
    return stmt if scope is None else stmt.where(Recommendation.responsible_unit_id == scope)


# A rectification the inspector sent back: in progress again after a report was submitted.
SENT_BACK = (Recommendation.state == "in_progress") & Recommendation.submitted_at.is_not(None)


def count_recommendations(session: Session, actor, *conditions) -> int:
    """How many of the recommendations ACTOR may see meet CONDITIONS."""
    return session.scalar(_scoped(select(func.count(Recommendation.id)).where(*conditions), actor)) or 0


def recommendation_query(actor, *, overdue: bool | None = None, unit: str | None = None,
                         state: str | None = None, project_id: int | None = None, today: date | None = None,
                         colour: str | None = None, sent_back: bool | None = None):
    """The recommendations ACTOR may see, by due date; COLOUR keeps those of one escalation colour today,
    SENT_BACK those sent back for rework (or, False, those not)."""
    policy.require(actor, "recommendation.read")
    stmt = _scoped(select(Recommendation).order_by(Recommendation.due_date, Recommendation.id), actor)
    if unit:
        stmt = stmt.join(Unit, Unit.id == Recommendation.responsible_unit_id).where(Unit.code == unit)
    if state:
        stmt = stmt.where(Recommendation.state == state)
    if project_id:
        stmt = stmt.where(Recommendation.project_id == project_id)
    if overdue is not None:
        day = today or periods.today()
        late = (Recommendation.state != "verified") & (Recommendation.due_date < day)
        stmt = stmt.where(late if overdue else ~late)
    if colour:
        blue_days, red_days = escalation.settings()
        stmt = stmt.where(escalation.colour_condition(colour, today or periods.today(), blue_days, red_days))
    if sent_back is not None:
        stmt = stmt.where(SENT_BACK if sent_back else ~SENT_BACK)
    return stmt


def visible_recommendations(actor, project: SupervisionProject) -> list[Recommendation]:
    """The project's recommendations ACTOR may see: a unit's roles, only those addressed to their unit."""
    return [rec for rec in project.recommendations if policy.in_scope(actor, rec)]


def recommendation_counts(session: Session, actor, project_ids) -> dict[int, tuple[int, int]]:
    """(open, all) recommendations ACTOR may see of each project in PROJECT_IDS, counted in one query."""
    ids = list(project_ids)
    if not ids:
        return {}
    still_open = case((Recommendation.state != "verified", 1), else_=0)
    stmt = (select(Recommendation.project_id, func.sum(still_open), func.count())
            .where(Recommendation.project_id.in_(ids)).group_by(Recommendation.project_id))
    return {project_id: (int(opened or 0), n) for project_id, opened, n in session.execute(_scoped(stmt, actor))}


def is_overdue(rec: Recommendation, today: date) -> bool:
    """Overdue while not verified and past the due date."""
    return rec.state != "verified" and today > rec.due_date


@engine.guard("has_recommendations")
def has_recommendations(session, project, actor, fields):
    if not project.recommendations:
        return _l("Record at least one recommendation before issuing them.")
    return None


@engine.guard("all_recommendations_verified")
def all_recommendations_verified(session, project, actor, fields):
    open_ = [r.letter_no for r in project.recommendations if r.state != "verified"]
    if open_:
        return _l("Every recommendation must be verified first; still open: %(letters)s.", letters=", ".join(open_))
    return None


@engine.effect("supervision_project", "issue_recommendations")
def _recommendations_issued(session, project, actor, fields):
    for rec in project.recommendations:
        if rec.state == "issued":  # one its unit has accepted already needs no telling
            events.recommendation_issued(session, rec)


@engine.effect("recommendation", "submit")
def _submitted(session, rec, actor, fields):
    rec.rectification_report = str(fields["report"]).strip()
    rec.submitted_at = utcnow()
    events.rectification_submitted(session, rec)


@engine.effect("recommendation", "reject")
def _sent_back(session, rec, actor, fields):
    events.rectification_returned(session, rec, str(fields["comment"]).strip())


@engine.effect("recommendation", "verify")
def _verified(session, rec, actor, fields):
    rec.verified_at = utcnow()
    rec.escalation = None


def sent_back(entries, rec: Recommendation):
    """The history entry (among ENTRIES, oldest first) of the inspector sending REC back, while the unit is
    rectifying it again; None otherwise. Its comment is the reason the unit reads beside its report."""
    if rec.state != "in_progress":
        return None
    steps = [e for e in entries if e.to_state is not None]
    return steps[-1] if steps and steps[-1].action == "reject" else None
