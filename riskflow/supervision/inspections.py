"""The mid-year inspection (年中督导检查) of a project: when it was held, how (听取汇报, 查阅资料, 查勘现场, 座谈),
what was found and the rating; recommendations may be raised from it. Its history is the project's.

Who reads it: whoever may read the project (a unit's roles included: the findings are about their unit's work);
only the inspection office records or corrects it."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import history, periods, versions
from ..auth import policy
from ..errors import Conflict, FieldErrors, NotFound
from ..validation import a_date, one_of, texts
from ..workflow import engine
from .labels import INSPECTION_METHOD_LABELS, INSPECTION_RATING_LABELS
from .models import SupervisionInspection, SupervisionProject
from .service import get_project

# An inspection belongs to the tracking phase: the project is being monitored or its recommendations followed up.
INSPECTION_STATES = ("monitoring", "recommendation", "rectification")
FIELDS = ("held_on", "methods", "findings", "rating")
MAX_FINDINGS = 8000


def may_record(actor, project: SupervisionProject) -> bool:
    """True when ACTOR may record or correct an inspection of PROJECT now."""
    return policy.can(actor, "supervision.manage", project) and project.state in INSPECTION_STATES


def _refuse_state(project: SupervisionProject) -> None:
    if project.state not in INSPECTION_STATES:
        raise Conflict(_l("A mid-year inspection is recorded while the project is monitored or followed up, "
                          "not in the state %(state)s.",
                          state=engine.state_label(engine.definition(project), project.state)),
                       {"state": [_l("Not possible now.")]})


def _held_on(value, project: SupervisionProject, errors: FieldErrors) -> date | None:
    """The date of the inspection: not after today, within the project's year or the January after it."""
    held_on = a_date(value, "held_on", errors, required=True)
    if held_on is None:
        return None
    if held_on > periods.today():
        errors.add("held_on", _l("The inspection date cannot be in the future."))
    elif not date(project.year, 1, 1) <= held_on <= date(project.year + 1, 1, 31):
        errors.add("held_on", _l("The inspection is held within the project's year %(year)s or the January after.",
                                 year=project.year))
    return held_on


def _methods(value, errors: FieldErrors) -> list[str]:
    """The methods ticked, each once, in the order the list gives them."""
    if value in (None, "", []):
        errors.add("methods", _l("Tick at least one method."))
        return []
    if not isinstance(value, list) or any(not isinstance(code, str) for code in value):
        errors.add("methods", _l("A list of methods."))
        return []
    if any(code not in INSPECTION_METHOD_LABELS for code in value):
        errors.add("methods", one_of(INSPECTION_METHOD_LABELS))
        return []
    return [code for code in INSPECTION_METHOD_LABELS if code in value]


def inspection_values(project: SupervisionProject, data: dict, errors: FieldErrors, *, creating: bool) -> dict:
    """The checked values of the inspection fields in DATA: every field when CREATING, else those sent."""
    sent = (lambda name: True) if creating else (lambda name: name in data)
    values = texts(data, {"findings": MAX_FINDINGS} if sent("findings") else {}, errors)
    if sent("findings") and "findings" in values and not values["findings"]:
        errors.add("findings", _l("Write down what the inspection found."))
    if sent("held_on"):
        values["held_on"] = _held_on(data.get("held_on"), project, errors)
    if sent("methods"):
        values["methods"] = _methods(data.get("methods"), errors)
    if sent("rating"):
        if data.get("rating") not in INSPECTION_RATING_LABELS:
            errors.add("rating", one_of(INSPECTION_RATING_LABELS))
        values["rating"] = data.get("rating")
    return values


def _snapshot(inspection: SupervisionInspection) -> dict:
    return {"held_on": inspection.held_on.isoformat(), "methods": list(inspection.methods),
            "findings": inspection.findings, "rating": inspection.rating}


def record_inspection(session: Session, actor, project_id: int, data: dict) -> SupervisionInspection:
    """Record the mid-year inspection of a project (the inspection office, while the project is monitored or
    followed up): date, methods, findings and rating."""
    project = get_project(session, actor, project_id)
    policy.require(actor, "supervision.manage", project)
    _refuse_state(project)
    errors = FieldErrors()
    values = inspection_values(project, data, errors, creating=True)
    errors.raise_if_any(_l("The inspection was not saved."))
    inspection = SupervisionInspection(project_id=project.id, created_by_id=getattr(actor, "id", None), **values)
    session.add(inspection)
    session.flush()
    history.record(session, actor, "supervision_project", project.id, "inspection",
                   changes={name: [None, value] for name, value in _snapshot(inspection).items()})
    return inspection


def get_inspection(session: Session, actor, inspection_id: int) -> SupervisionInspection:
    """An inspection of a project ACTOR may see (another's is NotFound)."""
    inspection = session.get(SupervisionInspection, inspection_id)
    if inspection is None:
        raise NotFound(_l("Not found."))
    get_project(session, actor, inspection.project_id)
    return inspection


def update_inspection(session: Session, actor, inspection_id: int, data: dict) -> SupervisionInspection:
    """Correct an inspection while its project is monitored or followed up; a `version` older than the
    inspection's is refused (409)."""
    inspection = get_inspection(session, actor, inspection_id)
    project = inspection.project
    policy.require(actor, "supervision.manage", project)
    errors = FieldErrors()
    version_read = versions.read(data, errors)
    for name in sorted(set(data) - set(FIELDS) - {"version"}):
        errors.add(name, _l("This field cannot be changed."))
    _refuse_state(project)
    values = inspection_values(project, data, errors, creating=False)
    errors.raise_if_any(_l("The inspection was not saved."))
    versions.refuse_stale(version_read, inspection.version, _l(
        "Someone else changed the inspection of %(date)s since you read it (version %(theirs)s, yours %(yours)s); "
        "reload it and make your change again.", date=inspection.held_on.isoformat(), theirs=inspection.version,
        yours=version_read))
    before = _snapshot(inspection)
    for name, value in values.items():
        setattr(inspection, name, value)
    changes = history.diff(before, _snapshot(inspection))
    if changes:
        inspection.version = inspection.version + 1
        session.flush()
        history.record(session, actor, "supervision_project", project.id, "inspection_update", changes=changes)
    return inspection


def of_project(session: Session, project_id: int) -> list[SupervisionInspection]:
    """A project's inspections, by date."""
    return list(session.scalars(select(SupervisionInspection).where(SupervisionInspection.project_id == project_id)
                                .order_by(SupervisionInspection.held_on, SupervisionInspection.id)))


def raised_from(actor, project: SupervisionProject, inspection: SupervisionInspection) -> list:
    """The recommendations raised from INSPECTION that ACTOR may see (a unit's roles: those to their unit)."""
    return [rec for rec in project.recommendations
            if rec.inspection_id == inspection.id and policy.in_scope(actor, rec)]


def choices_for_recommendation(session: Session, project: SupervisionProject) -> list[tuple[str, str]]:
    """The recommendation form's "from the mid-year inspection" options: none, or one of the project's."""
    return [("", _l("Not from the inspection"))] + [
        (str(i.id), _l("Inspection of %(date)s (%(rating)s)", date=i.held_on.isoformat(),
                       rating=INSPECTION_RATING_LABELS.get(i.rating, i.rating)))
        for i in of_project(session, project.id)]
