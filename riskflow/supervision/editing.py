"""Editing what was recorded: a project's filing form until the project is closed or cancelled, and a
recommendation until its responsible unit accepts it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from .. import editing, history, versions
from ..auth import policy
from ..auth.models import Unit
from ..errors import Conflict, FieldErrors
from ..workflow import engine
from .models import Recommendation, SupervisionProject
from .service import TEXT_FIELDS, get_project, get_recommendation, project_values, recommendation_values

PROJECT_FIELDS = ("year", "title", "kind", "method", "lead_unit", "participating_units", "start_date", "end_date",
                  "economic_benefit", *TEXT_FIELDS)
RECOMMENDATION_FIELDS = ("finding", "basis", "recommendation", "responsible_unit", "due_date")
FINAL_PROJECT_STATES = ("closed", "cancelled")


def project_editable(project: SupervisionProject) -> bool:
    """A project's filing form may change until the project is closed or cancelled."""
    return project.state not in FINAL_PROJECT_STATES


def recommendation_editable(rec: Recommendation) -> bool:
    """A recommendation may change while it is `issued` (its unit has not accepted it: nothing relies on its
    words yet) and its project is still open."""
    return rec.state == "issued" and project_editable(rec.project)


def _project_fields(project: SupervisionProject) -> dict:
    """The filing form as the history shows it: units by code, dates and amounts as text."""
    return {**history.snapshot(project, ("year", "title", "kind", "method", "start_date", "end_date",
                                         "economic_benefit", *TEXT_FIELDS)),
            "lead_unit": project.lead_unit.code,
            "participating_units": [unit.code for unit in project.participating_units]}


def _recommendation_fields(rec: Recommendation) -> dict:
    return {**history.snapshot(rec, ("finding", "basis", "recommendation", "due_date")),
            "responsible_unit": rec.responsible_unit.code}


def _state_conflict(item, message) -> Conflict:
    return Conflict(message, {"state": [_l("Not possible in the state %(state)s.",
                                          state=engine.state_label(engine.definition(item), item.state))]})


def update_project(session: Session, actor, project_id: int, data: dict) -> SupervisionProject:
    """Edit a project's filing form; a `version` older than the project's is refused (409)."""
    project = get_project(session, actor, project_id)
    policy.require(actor, "supervision.manage", project)
    errors = FieldErrors()
    version_read = versions.read(data, errors)
    editing.refuse_unknown(data, PROJECT_FIELDS, errors)
    if not project_editable(project):
        raise _state_conflict(project, _l("A closed or cancelled project can no longer be changed."))
    values = project_values(session, data, errors, current=project)
    errors.raise_if_any(_l("The project was not saved."))
    versions.refuse_stale(version_read, project.version, _l(
        "Someone else changed project %(code)s since you read it (version %(theirs)s, yours %(yours)s); "
        "reload it and make your change again.", code=project.code, theirs=project.version, yours=version_read))
    before = _project_fields(project)
    if "lead_unit_id" in values:
        project.lead_unit = session.get(Unit, values.pop("lead_unit_id"))
    editing.apply(project, values)
    editing.record(session, actor, project, before, _project_fields(project))
    return project


def update_recommendation(session: Session, actor, rec_id: int, data: dict) -> Recommendation:
    """Edit a recommendation before its unit accepts it; a `version` older than the recommendation's is refused."""
    rec = get_recommendation(session, actor, rec_id)
    policy.require(actor, "supervision.manage", rec)
    errors = FieldErrors()
    version_read = versions.read(data, errors)
    editing.refuse_unknown(data, RECOMMENDATION_FIELDS, errors)
    if not recommendation_editable(rec):
        raise _state_conflict(rec, _l("A recommendation can be changed only until its unit accepts it, "
                                      "and while its project is open."))
    values = recommendation_values(session, data, errors, current=rec)
    errors.raise_if_any(_l("The recommendation was not saved."))
    versions.refuse_stale(version_read, rec.version, _l(
        "Someone else changed recommendation %(no)s since you read it (version %(theirs)s, yours %(yours)s); "
        "reload it and make your change again.", no=rec.letter_no, theirs=rec.version, yours=version_read))
    before = _recommendation_fields(rec)
    if "responsible_unit" in values:
        rec.responsible_unit = values.pop("responsible_unit")
    editing.apply(rec, values)
    editing.record(session, actor, rec, before, _recommendation_fields(rec))
    return rec


editing.register(SupervisionProject, "supervision.manage", project_editable)
editing.register(Recommendation, "supervision.manage", recommendation_editable)
