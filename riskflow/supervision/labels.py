"""How supervision codes read on pages and in documents."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .kinds import label as kind_label

BENEFIT_KIND_LABELS = {
    "cost_reduction": _l("Cost reduction"),
    "recovered": _l("Recovered funds"),
    "avoided_loss": _l("Avoided loss"),
    "other": _l("Other benefit"),
}
ORIGIN_LABELS = {
    "company": _l("Set by the company"),
    "unit": _l("Proposed by a unit"),
}
METHOD_LABELS = {
    "document_analysis": _l("Document analysis"),
    "efficiency_audit": _l("Efficiency audit"),
    "target_assessment": _l("Target assessment"),
}
ESCALATION_LABELS = {
    "blue": _l("Blue reminder"),
    "yellow": _l("Yellow notice"),
    "red": _l("Red supervision notice"),
}


def template_globals() -> dict:
    return {"kind_label": kind_label, "BENEFIT_KIND_LABELS": BENEFIT_KIND_LABELS, "ORIGIN_LABELS": ORIGIN_LABELS,
            "METHOD_LABELS": METHOD_LABELS,
            "ESCALATION_LABELS": ESCALATION_LABELS}

# inspection: the mid-year inspection's methods and ratings (models.INSPECTION_METHODS, INSPECTION_RATINGS).
INSPECTION_METHOD_LABELS = {
    "report": _l("Hearing the report"),
    "documents": _l("Reviewing documents"),
    "site": _l("Site visit"),
    "forum": _l("Forum discussion"),
}
INSPECTION_RATING_LABELS = {
    "good": _l("Good"),
    "fair": _l("Fairly good"),
    "average": _l("Average"),
    "poor": _l("Poor"),
}
