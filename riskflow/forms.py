"""Helpers shared by the feature forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms.fields.choices import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class CsrfOnlyForm(FlaskForm):
    """A form whose only field is the CSRF token, for pages that build their own inputs."""


class EvidenceForm(FlaskForm):
    file = FileField(_l("Evidence file"), validators=[FileRequired()])
