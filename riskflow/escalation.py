"""The escalation colours of anything owned and due (a rectification, an action): one rule.

Blue from a week before the deadline, yellow once due and while up to 30 days overdue, red beyond; nothing
once finished or while the deadline is far. The days come from the configuration (ESCALATION_BLUE_DAYS,
ESCALATION_RED_DAYS)."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app

COLOURS = ("blue", "yellow", "red")
DEFAULTS = {"ESCALATION_BLUE_DAYS": 7, "ESCALATION_RED_DAYS": 30}


def settings() -> tuple[int, int]:
    """(days before the deadline a blue reminder starts, days overdue before it turns red)."""
    config = current_app.config
    return (int(config.get("ESCALATION_BLUE_DAYS", DEFAULTS["ESCALATION_BLUE_DAYS"])),
            int(config.get("ESCALATION_RED_DAYS", DEFAULTS["ESCALATION_RED_DAYS"])))


def colour(due_date: date, finished: bool, today: date, blue_days: int = 7, red_days: int = 30) -> str | None:
    """The escalation colour on TODAY of something due on DUE_DATE, or None when finished or not due soon."""
    if finished:
        return None
    days_left = (due_date - today).days
    if days_left > blue_days:
        return None
    if days_left > 0:
        return "blue"
    if -days_left <= red_days:
        return "yellow"
    return "red"


def condition(due, still_open, level: str, today: date, blue_days: int = 7, red_days: int = 30):
    """The SQL condition matching the rows whose colour() on TODAY is LEVEL: DUE is their due-date column and
    STILL_OPEN the condition of not being finished (the same rule as colour())."""
    if level == "blue":
        return still_open & (due > today) & (due <= today + timedelta(days=blue_days))
    if level == "yellow":
        return still_open & (due <= today) & (due >= today - timedelta(days=red_days))
    if level == "red":
        return still_open & (due < today - timedelta(days=red_days))
    raise ValueError(f"unknown escalation colour {level!r}")
