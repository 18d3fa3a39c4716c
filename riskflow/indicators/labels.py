"""The names users read for the indicators' codes, in one place."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

RULE_LABELS = {
    "above_target": _l("Above the annual target"),
    "below_target": _l("Below the annual target"),
    "above_budget": _l("Above the month's budget"),
    "below_budget": _l("Below the month's budget"),
    "behind_progress": _l("Year to date behind the target's time progress"),
}
# What a rule compares with, as a column heading names it.
COMPARED_LABELS = {
    "above_target": _l("Annual target"),
    "below_target": _l("Annual target"),
    "above_budget": _l("Effective budget"),
    "below_budget": _l("Month's budget"),
    "behind_progress": _l("Time progress of the target"),
}
MEASURES = ("万元", "%", "次", "天", "元")
PLAN_LINES = ("revenue", "profit", "collection")
PLAN_LABELS = {
    "revenue": _l("Sales revenue"),
    "profit": _l("Profit"),
    "collection": _l("Collection"),
}
CAUSE_LABELS = {
    "internal": _l("Internal, controllable"),
    "external": _l("External factors"),
}
