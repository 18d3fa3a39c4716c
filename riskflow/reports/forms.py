"""The form that makes a report now."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from ..forms import choices
from .service import KIND_LABELS


class ReportForm(FlaskForm):
    kind = SelectField(_l("Report"), choices=choices(KIND_LABELS.items()))
    # The service reads the period (a month, a quarter or a year, by the kind) and says what is wrong.
    period = StringField(_l("Report period"), validators=[DataRequired()])
    regenerate = BooleanField(_l("new revision"))


class CommentaryForm(FlaskForm):
    # The service says what is wrong with it (too long); an empty analysis is allowed until issuing.
    commentary = TextAreaField(_l("Risk analysis and management recommendations"), render_kw={"rows": 10})


class IssueForm(FlaskForm):
    """Issuing asks nothing but the confirmation."""
