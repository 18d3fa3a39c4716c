"""Forms of the action pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ..forms import DayField, VersionedForm, choices_with_prompt


class ActionForm(FlaskForm):
    """The service checks what is required (title, owner, due date) so that every refusal shows at once."""

    title = StringField(_l("Action"), validators=[Length(max=200)])
    description = TextAreaField(_l("What is to be done"), validators=[Optional(), Length(max=8000)])
    # The service judges the owner (a tampered choice gets its reason there), so the select does not refuse it.
    owner = SelectField(_l("Owner"), choices=[], validate_choice=False)
    due_date = DayField(_l("Due date"), validators=[Optional()])

    def offer(self, people) -> None:
        """The owners to choose from, by name and unit."""
        self.owner.choices = choices_with_prompt(
            (u.username, f"{u.label} · {u.unit.name}" if u.unit else u.label) for u in people)

    def data_for_service(self) -> dict:
        """The action as the service takes it."""
        return {"title": self.title.data or "", "description": self.description.data or "",
                "owner": self.owner.data or "", "due_date": self.due_date.data}


class ActionEditForm(VersionedForm, ActionForm):
    """An action corrected before it is submitted."""
