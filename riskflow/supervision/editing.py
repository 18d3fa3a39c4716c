"""Editing what was recorded: a project's filing form until the project is closed or cancelled, and a
recommendation until its responsible unit accepts it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from .. import editing, history
from ..auth import policy
from ..auth.models import Unit
from ..notifications import events
from .models import Recommendation, SupervisionProject
from .service import (PROPOSAL_STATES, TEXT_FIELDS, get_project, get_recommendation, is_issued, project_values,
                      proposal_data, recommendation_values)

PROJECT_FIELDS = ("year", "title", "kind", "method", "lead_unit", "participating_units", "start_date", "end_date",
                  "economic_benefit", "risk_ids", "risk_codes", *TEXT_FIELDS)
RECOMMENDATION_FIELDS = ("finding", "basis", "recommendation", "responsible_unit", "due_date", "inspection_id",
                         "risk_ids", "risk_codes")
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
                                         *TEXT_FIELDS)),
            "lead_unit": project.lead_unit.code,
            "participating_units": [unit.code for unit in project.participating_units],
            "risks": [risk.code for risk in project.risks]}


def _recommendation_fields(rec: Recommendation) -> dict:
    return {**history.snapshot(rec, ("finding", "basis", "recommendation", "due_date", "inspection_id")),
            "responsible_unit": rec.responsible_unit.code, "risks": [risk.code for risk in rec.risks]}


def update_project(session: Session, actor, project_id: int, data: dict) -> SupervisionProject:
    """Edit a project's filing form; a `version` older than the project's is refused (409). A unit head edits their
    unit's proposal until it is filed, and only for their unit."""
    project = get_project(session, actor, project_id)
    policy.require(actor, editing.action_of(project), project)

    def clean(errors):
        sent = proposal_data(session, actor, data, errors) if policy.is_unit_scoped(actor) else data
        return project_values(session, sent, errors, current=project, actor=actor)

    values = editing.checked(
        project, data, PROJECT_FIELDS, clean,
        label=project.code, refused=_l("A closed or cancelled project can no longer be changed."),
        not_saved=_l("The project was not saved."))
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
    values = editing.checked(
        rec, data, RECOMMENDATION_FIELDS, lambda errors: recommendation_values(session, data, errors, current=rec),
        label=rec.letter_no, refused=_l("A recommendation can be changed only until its unit accepts it, "
                                        "and while its project is open."),
        not_saved=_l("The recommendation was not saved."))
    before = _recommendation_fields(rec)
    readdressed = "responsible_unit" in values and values["responsible_unit"].id != rec.responsible_unit_id
    if "responsible_unit" in values:
        rec.responsible_unit = values.pop("responsible_unit")
    editing.apply(rec, values)
    editing.record(session, actor, rec, before, _recommendation_fields(rec))
    if readdressed and is_issued(rec):
        session.flush()
        events.recommendation_issued(session, rec)
    return rec


def project_editor(project: SupervisionProject) -> str:
    """Who edits a project: the inspection office; a unit's proposal not filed yet also its unit's head."""
    return "supervision_project.edit_proposal" if project.state in PROPOSAL_STATES else "supervision.manage"


editing.register(SupervisionProject, project_editor, project_editable)
editing.register(Recommendation, "supervision.manage", recommendation_editable)
