"""How register codes read on pages and in reports, in the current language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..i18n import current_language
from ..indicators.labels import CAUSE_LABELS, PLAN_LABELS, RULE_LABELS

LEVEL_LABELS = {
    "low": _l("Low risk"),
    "general": _l("General risk"),
    "significant": _l("Significant risk"),
    "major": _l("Major risk"),
}
STRATEGY_LABELS = {
    "avoid": _l("Avoid"),
    "reduce": _l("Reduce"),
    "share": _l("Share"),
    "accept": _l("Accept"),
}
RISK_STATUS_LABELS = {"active": _l("Active"), "retired": _l("Retired")}
WARNING_REASON_LABELS = {
    "level": _l("Significant or major level"),
    "escalated": _l("Level rose since last month"),
    "indicator": _l("Indicator breached"),
}
WARNING_STATUS_LABELS = {"open": _l("Open"), "in_progress": _l("In progress"), "done": _l("Done")}
DIMENSION_LABELS = {
    "financial": _l("Financial"),
    "reputation": _l("Reputation"),
    "compliance": _l("Compliance"),
    "safety": _l("Safety"),
    "environment": _l("Environment"),
    "operations": _l("Operations"),
}
IMPORT_KIND_LABELS = {"risks": _l("Risks"), "assessments": _l("Monthly grades")}
IMPORT_STATES = {"queued": _l("Waiting"), "running": _l("Running"), "done": _l("Imported"), "failed": _l("Refused")}
TREND_SYMBOLS = {"up": "↑", "down": "↓", "same": "→", "new": "★"}


def localized(obj, field: str = "name") -> str:
    """OBJ's FIELD in the current language: `name`, or `name_en` in English (objects or dicts)."""
    key = f"{field}_en" if current_language() == "en" else field
    return obj[key] if isinstance(obj, dict) else getattr(obj, key)


def level_label(code: str | None):
    """The name of a level code, or a dash."""
    return LEVEL_LABELS.get(code, code or "—")


def template_globals() -> dict:
    """The label tables, for every template."""
    return {
        "level_label": level_label,
        "LEVEL_LABELS": LEVEL_LABELS, "STRATEGY_LABELS": STRATEGY_LABELS, "RISK_STATUS_LABELS": RISK_STATUS_LABELS,
        "WARNING_REASON_LABELS": WARNING_REASON_LABELS, "WARNING_STATUS_LABELS": WARNING_STATUS_LABELS,
        "DIMENSION_LABELS": DIMENSION_LABELS, "IMPORT_STATES": IMPORT_STATES, "TREND_SYMBOLS": TREND_SYMBOLS,
        "localized": localized, "RULE_LABELS": RULE_LABELS, "PLAN_LABELS": PLAN_LABELS,
        "CAUSE_LABELS": CAUSE_LABELS,
    }
