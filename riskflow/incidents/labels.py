"""How incident codes read on pages and in the pack."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {"loss_event": _l("Loss event"), "near_miss": _l("Near miss")}
LOSS_TYPE_LABELS = {
    "internal_fraud": _l("Internal fraud"),
    "external_fraud": _l("External fraud"),
    "employment_safety": _l("Employment practices and workplace safety"),
    "clients_products": _l("Clients, products and business practices"),
    "physical_assets": _l("Damage to physical assets"),
    "disruption_systems": _l("Business disruption and system failures"),
    "execution_process": _l("Execution, delivery and process management"),
}
SEVERITY_LABELS = {
    "reputation": _l("Reputation"),
    "compliance": _l("Compliance"),
    "safety": _l("Safety"),
    "environment": _l("Environment"),
    "operations": _l("Operations"),
}
RETURN_STATUS_LABELS = {"done": _l("Answered"), "late": _l("Answered late"), "missing": _l("Not yet answered"),
                        "overdue": _l("Missing, past the deadline")}


def template_globals() -> dict:
    return {"KIND_LABELS": KIND_LABELS, "LOSS_TYPE_LABELS": LOSS_TYPE_LABELS, "SEVERITY_LABELS": SEVERITY_LABELS,
            "RETURN_STATUS_LABELS": RETURN_STATUS_LABELS}
