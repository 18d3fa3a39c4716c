"""How supervision codes read on pages and in documents."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

PROJECT_KIND_LABELS = {
    "major_decisions": _l("Major decisions (three majors and one large)"),
    "procurement": _l("Procurement of bulk materials"),
    "budget": _l("Budget management"),
    "financial_cost": _l("Financial cost control"),
    "construction_cost": _l("Construction cost control"),
    "large_funds": _l("Large fund operations"),
    "tendering": _l("Tendering"),
    "progress": _l("Progress and milestones"),
    "marketing": _l("Marketing and promotion"),
    "sales_collection": _l("Sales collection"),
    "leasing": _l("Asset leasing"),
    "process_building": _l("Business-wide process building"),
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
    return {"PROJECT_KIND_LABELS": PROJECT_KIND_LABELS, "METHOD_LABELS": METHOD_LABELS,
            "ESCALATION_LABELS": ESCALATION_LABELS}
