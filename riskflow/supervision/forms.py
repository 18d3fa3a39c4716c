"""Forms of the supervision pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import DayField, VersionedForm, WholeField, choices, choices_with_prompt
from .labels import INSPECTION_METHOD_LABELS, INSPECTION_RATING_LABELS, METHOD_LABELS


class ProjectForm(FlaskForm):
    year = WholeField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    title = StringField(_l("Project"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[])  # the kinds list (kinds.labels), set by the page
    method = SelectField(_l("Method"), choices=choices(METHOD_LABELS.items()))
    lead_unit = SelectField(_l("Lead unit"), choices=[])
    participating_units = SelectMultipleField(_l("Participating units"), choices=[])
    reason = TextAreaField(_l("Reason for the project"), validators=[Optional(), Length(max=4000)])
    scope = TextAreaField(_l("Scope"), validators=[Optional(), Length(max=4000)])
    control_points = TextAreaField(_l("Key control points"), validators=[Optional(), Length(max=4000)])
    plan = TextAreaField(_l("Work plan"), validators=[Optional(), Length(max=8000)])
    start_date = DayField(_l("Start"), validators=[Optional()])
    end_date = DayField(_l("End"), validators=[Optional()])
    indirect_benefit = TextAreaField(_l("Indirect benefit"), validators=[Optional(), Length(max=4000)])
    # The register may hold 10,000 risks: their codes are typed, not picked from a list (the service checks each).
    risk_codes = StringField(_l("Risks the control points name (codes, e.g. BJ-001, SH-003)"),
                             validators=[Optional(), Length(max=4000)])

    def data_for_service(self) -> dict:
        """The filing form as the project service takes it."""
        return {name: getattr(self, name).data for name in (
            "year", "title", "kind", "method", "lead_unit", "participating_units", "reason", "scope",
            "control_points", "plan", "start_date", "end_date", "indirect_benefit", "risk_codes")}


class ProjectEditForm(VersionedForm, ProjectForm):
    """The filing form, edited."""


class ProposalForm(ProjectForm):
    """A unit head's proposal (立项建议): the filing form without the units, which are the head's own unit and
    the inspection office's choice."""

    lead_unit = None
    participating_units = None

    def data_for_service(self) -> dict:
        """The proposal as the project service takes it."""
        return {name: getattr(self, name).data for name in (
            "year", "title", "kind", "method", "reason", "scope", "control_points", "plan", "start_date",
            "end_date", "indirect_benefit", "risk_codes")}


class ProposalEditForm(VersionedForm, ProposalForm):
    """A proposal edited by its unit's head before it is filed."""


class RecommendationForm(FlaskForm):
    finding = TextAreaField(_l("Finding"), validators=[DataRequired(), Length(max=8000)])
    basis = TextAreaField(_l("Basis"), validators=[Optional(), Length(max=8000)])
    recommendation = TextAreaField(_l("Recommendation"), validators=[DataRequired(), Length(max=8000)])
    responsible_unit = SelectField(_l("Responsible unit"), choices=[])
    due_date = DayField(_l("Reply deadline (default: 30 days)"), validators=[Optional()])
    # The mid-year inspection it was raised from (choices: the project's inspections); the service checks it.
    inspection_id = SelectField(_l("From the mid-year inspection"), choices=[], validate_choice=False)
    risk_codes = StringField(_l("Risks the finding names (codes, e.g. BJ-001, SH-003)"),
                             validators=[Optional(), Length(max=4000)])


class RecommendationEditForm(VersionedForm, RecommendationForm):
    """A recommendation corrected before its unit accepts it: the deadline it has is shown, and kept."""

    due_date = DayField(_l("Reply deadline"), validators=[DataRequired()])

    def data_for_service(self) -> dict:
        """The recommendation as the service takes it."""
        return {name: getattr(self, name).data for name in (
            "finding", "basis", "recommendation", "responsible_unit", "due_date", "risk_codes")}


class NoticeForm(FlaskForm):
    """A 效能监察通知书 to a unit."""

    recipient_unit = SelectField(_l("Addressed to"), choices=[])  # the units, set by the page
    subject = StringField(_l("Subject of the notice"), validators=[DataRequired(), Length(max=200)])
    content = TextAreaField(_l("Content of the notice"), validators=[DataRequired(), Length(max=8000)])

    def data_for_service(self) -> dict:
        """The notice as the service takes it."""
        return {name: getattr(self, name).data for name in ("recipient_unit", "subject", "content")}


class InspectionForm(FlaskForm):
    """The mid-year inspection (登记年中检查): the service checks every field, so all refusals come at once."""

    held_on = DayField(_l("Date of the inspection"), validators=[Optional()])
    methods = SelectMultipleField(_l("Methods"), choices=choices(INSPECTION_METHOD_LABELS.items()),
                                  validate_choice=False, widget=ListWidget(prefix_label=False),
                                  option_widget=CheckboxInput())
    rating = SelectField(_l("Rating"), choices=choices_with_prompt(INSPECTION_RATING_LABELS.items()),
                         validate_choice=False)
    findings = TextAreaField(_l("Findings"))

    def data_for_service(self) -> dict:
        """The inspection as the service takes it."""
        return {"held_on": self.held_on.data, "methods": list(self.methods.data or []), "rating": self.rating.data,
                "findings": self.findings.data}


class KindForm(FlaskForm):
    """A project kind the admin adds; the service checks the code and the names."""

    code = StringField(_l("Code"), validators=[Length(max=30)])
    label_zh = StringField(_l("Name in Chinese"), validators=[Length(max=100)])
    label_en = StringField(_l("Name in English"), validators=[Length(max=100)])
    position = WholeField(_l("Position in the list"), validators=[Optional(), NumberRange(0, 9999)])


class KindEditForm(FlaskForm):
    label_zh = StringField(_l("Name in Chinese"), validators=[Length(max=100)])
    label_en = StringField(_l("Name in English"), validators=[Length(max=100)])
    position = WholeField(_l("Position in the list"), validators=[Optional(), NumberRange(0, 9999)])
