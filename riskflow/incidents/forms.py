"""Forms of the incident pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import AmountField, DayField, VersionedForm, choices
from .labels import KIND_LABELS, LOSS_TYPE_LABELS, SEVERITY_LABELS

SEVERITY_CHOICES = [(str(n), str(n)) for n in range(0, 6)]


class IncidentForm(FlaskForm):
    title = StringField(_l("Incident"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS.items()))
    unit = SelectField(_l("Unit"), choices=[])
    occurred_on = DayField(_l("Occurred on"), validators=[DataRequired()])
    discovered_on = DayField(_l("Discovered on"), validators=[DataRequired()])
    loss_type = SelectField(_l("Loss type"), choices=choices([("", "—")] + list(LOSS_TYPE_LABELS.items())), default="")
    gross_loss = AmountField(_l("Gross loss (yuan)"), validators=[Optional(), NumberRange(min=0)], places=2)
    recoveries = AmountField(_l("Recovered (yuan)"), validators=[Optional(), NumberRange(min=0)], places=2)
    description = TextAreaField(_l("What happened"), validators=[Optional(), Length(max=8000)])
    cause = TextAreaField(_l("Cause"), validators=[Optional(), Length(max=8000)])
    handling = TextAreaField(_l("Handling"), validators=[Optional(), Length(max=8000)])
    lessons = TextAreaField(_l("Lessons"), validators=[Optional(), Length(max=8000)])
    risk_ids = SelectMultipleField(_l("Linked risks"), choices=[])

    def data_for_service(self) -> dict:
        """The incident as the service takes it."""
        data = {name: getattr(self, name).data for name in (
            "title", "kind", "unit", "description", "cause", "handling", "lessons", "occurred_on", "discovered_on",
            "recoveries")}
        data.update(loss_type=self.loss_type.data or None, risk_ids=[int(r) for r in self.risk_ids.data],
                    losses={"financial": self.gross_loss.data,
                            **{d: int(getattr(self, d).data) for d in SEVERITY_LABELS}})
        return data


for _name, _label in SEVERITY_LABELS.items():
    setattr(IncidentForm, _name, SelectField(_label, choices=choices(SEVERITY_CHOICES), default="0"))


class NewIncidentForm(IncidentForm):
    """An incident recorded with its corrective action (措施), made an action of the owner chosen."""

    action_title = StringField(_l("Corrective action"), validators=[Optional(), Length(max=200)])
    action_owner = SelectField(_l("Action owner"), choices=[], validate_choice=False)
    action_due = DayField(_l("Action due"), validators=[Optional()])

    def data_for_service(self) -> dict:
        """The incident and its action as the service takes them."""
        return {**super().data_for_service(), "action": {
            "title": self.action_title.data or "", "owner": self.action_owner.data or "",
            "due_date": self.action_due.data.isoformat() if self.action_due.data else None}}


class IncidentEditForm(VersionedForm, IncidentForm):
    """An incident corrected while it is reported."""


class RecoveriesForm(VersionedForm, FlaskForm):
    """What was recovered, recorded after the incident was reviewed."""

    recoveries = AmountField(_l("Recovered (yuan)"), validators=[Optional(), NumberRange(min=0)], places=2)

    def data_for_service(self) -> dict:
        """What was recovered, as the service takes it."""
        return {"recoveries": self.recoveries.data}


class RoundForm(FlaskForm):
    quarter = StringField(_l("Quarter"), validators=[DataRequired(), Length(max=7)])
    deadline = DayField(_l("Deadline"), validators=[DataRequired()])


class NilReportForm(FlaskForm):
    # The box is the confirmation: its label names the quarter (set by the page).
    nil = BooleanField(_l("Our unit had no incidents or near misses in the quarter."))


class MeetingForm(FlaskForm):
    held_on = DayField(_l("Held on"), validators=[DataRequired()])
    attendees = TextAreaField(_l("Attendees"), validators=[DataRequired(), Length(max=8000)])
    conclusions = TextAreaField(_l("Conclusions"), validators=[Optional(), Length(max=8000)])

    def decision_rows(self) -> list[tuple]:
        """The decision rows' (title, owner, due) fields, in order."""
        return [(self[f"decision_title_{n}"], self[f"decision_owner_{n}"], self[f"decision_due_{n}"])
                for n in range(1, DECISION_ROWS + 1)]

    def decisions(self) -> list[dict]:
        """The decisions as the meeting service takes them (every row; empty ones are skipped there)."""
        return [{"title": title.data or "", "owner": owner.data or "",
                 "due_date": due.data.isoformat() if due.data else None} for title, owner, due in self.decision_rows()]

    def decision_fields(self) -> dict:
        """The form's field of each decision field the service names (`decisions.N.title`)."""
        return {f"decisions.{n - 1}.{name}": f"decision_{field}_{n}" for n in range(1, DECISION_ROWS + 1)
                for name, field in (("title", "title"), ("owner", "owner"), ("due_date", "due"))}


# Decisions a meeting records at once (each an action with its owner and due date); more are added later as actions.
DECISION_ROWS = 3
for _n in range(1, DECISION_ROWS + 1):
    setattr(MeetingForm, f"decision_title_{_n}", StringField(_l("Decision %(n)s", n=_n),
                                                             validators=[Optional(), Length(max=200)]))
    setattr(MeetingForm, f"decision_owner_{_n}", SelectField(_l("Owner of decision %(n)s", n=_n), choices=[],
                                                             validate_choice=False))
    setattr(MeetingForm, f"decision_due_{_n}", DayField(_l("Due date of decision %(n)s", n=_n),
                                                        validators=[Optional()]))
