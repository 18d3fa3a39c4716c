"""Helpers shared by the feature forms."""
from __future__ import annotations

from wtforms.fields.choices import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]
