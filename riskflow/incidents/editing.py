"""Editing a recorded incident: everything while it is `reported`; once reviewed at the meeting, only what
was recovered, until it is closed."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from .. import editing, history
from ..auth import policy
from ..errors import Conflict
from .models import SEVERITY_DIMENSIONS, Incident
from .service import TEXTS, get, incident_values, require_own_unit

FIELDS = ("title", "kind", "occurred_on", "discovered_on", "unit", "description", "cause", "handling", "lessons",
          "losses", "recoveries", "loss_type", "corrective_action", "action_owner", "action_due", "risk_ids")
# What may still change once the meeting has reviewed the incident: money recovered later.
AFTER_REVIEW = ("recoveries",)
# The field of the request that each recorded value comes from, where the names differ.
SENT_AS = {"gross_loss": "losses", **{d: "losses" for d in SEVERITY_DIMENSIONS}, "risks": "risk_ids",
           "quarter": "occurred_on"}


def editable(incident: Incident) -> bool:
    """An incident may change until it is closed (after its review, only its recoveries)."""
    return incident.state in ("reported", "reviewed")


def fully_editable(incident: Incident) -> bool:
    """True while every field may change: until the quarterly meeting reviews it."""
    return incident.state == "reported"


def _fields(incident: Incident) -> dict:
    """The incident as the history shows it: the unit by code, the linked risks by code, money as text."""
    return {**history.snapshot(incident, ("title", "kind", "occurred_on", "discovered_on", "quarter", "loss_type",
                                          "gross_loss", "recoveries", *SEVERITY_DIMENSIONS, "action_due",
                                          *TEXTS)),
            "unit": incident.unit.code, "risks": [risk.code for risk in incident.risks]}


def update(session: Session, actor, incident_id: int, data: dict) -> Incident:
    """Edit an incident; a `version` older than the incident's is refused (409)."""
    incident = get(session, actor, incident_id)
    policy.require(actor, "incident.write", incident)
    values = editing.checked(
        incident, data, FIELDS, lambda errors: incident_values(session, actor, data, errors, current=incident),
        label=incident.code, refused=_l("A closed incident can no longer be changed."),
        not_saved=_l("The incident was not saved."))
    before = _fields(incident)
    if "unit" in values:
        unit = values.pop("unit")
        require_own_unit(actor, unit)
        incident.unit = unit
    if "risks" in values:
        # Links to risks the editor may not see (another unit's, linked by the risk manager) stay.
        hidden = [risk for risk in incident.risks if not policy.in_scope(actor, risk)]
        incident.risks = hidden + [risk for risk in values.pop("risks") if risk not in hidden]
    editing.apply(incident, values)
    after = _fields(incident)
    if not fully_editable(incident):
        frozen = sorted({SENT_AS.get(name, name) for name in history.diff(before, after)} - set(AFTER_REVIEW))
        if frozen:
            refused = editing.state_refused(incident, _l("Once reviewed, only the amount recovered can change."))
            raise Conflict(refused.message, {name: refused.errors["state"] for name in frozen})
    editing.record(session, actor, incident, before, after)
    return incident


editing.register(Incident, "incident.write", editable)
