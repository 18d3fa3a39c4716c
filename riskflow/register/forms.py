"""Forms of the register pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .. import values
from ..forms import DayField, VersionedForm, WholeField, choices, choices_with_prompt
from ..indicators.labels import CAUSE_LABELS
from .grading import IMPACT_DIMENSIONS
from .labels import (DIMENSION_LABELS, IMPORT_KIND_LABELS, RISK_STATUS_LABELS, STRATEGY_LABELS,
                     WARNING_STATUS_LABELS)


class RiskForm(FlaskForm):
    """A risk as the new and edit pages draw it; the new page has no status (`without_status`)."""

    title = StringField(_l("Risk name"), validators=[DataRequired(), Length(max=200)])
    # Both start on an empty choice (`choices_with_prompt`): nothing is chosen for the user.
    category = SelectField(_l("Category"), choices=[],
                           validators=[DataRequired(message=_l("Choose a category."))])
    unit = SelectField(_l("Unit"), choices=[], validators=[DataRequired(message=_l("Choose a unit."))])
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=100)])
    source = TextAreaField(_l("Source"), validators=[Optional(), Length(max=4000)])
    causes = TextAreaField(_l("Causes"), validators=[Optional(), Length(max=4000)])
    response_strategy = SelectField(
        _l("Response strategy"), choices=choices([("", "—")] + list(STRATEGY_LABELS.items())))
    measures = TextAreaField(_l("Control measures"), validators=[Optional(), Length(max=4000)])
    status = SelectField(_l("Status"), choices=choices(RISK_STATUS_LABELS.items()))
    version = HiddenField()

    def without_status(self) -> "RiskForm":
        """The form of the new-risk page, which does not draw the status (a new risk is active)."""
        del self.status
        return self

    def data_for_service(self, editing: bool) -> dict:
        """The fields as the risk service takes them."""
        data = {name: getattr(self, name).data for name in
                ("title", "category", "unit", "owner", "source", "causes", "response_strategy", "measures")}
        if editing:
            data["status"] = self.status.data
            data["version"] = values.whole_or(self.version.data, None)  # the service says what is missing
        return data


class GradeForm(FlaskForm):
    period = StringField(_l("Month"), validators=[DataRequired(), Length(max=7)])
    likelihood = SelectField(_l("Likelihood"), choices=[])
    impact = SelectField(_l("Impact"), choices=[])
    # Whether a reason is needed is the service's rule (assessments.check_reason), as on the grading sheet.
    rationale = TextAreaField(_l("Reason for the grade"), validators=[Optional(), Length(max=4000)])
    # The version of each month's grade as the page showed it (`2026-05:1 2026-06:3`): a revision based on it
    # is refused when the grade has changed since.
    versions = HiddenField()

    def versions_read(self) -> dict[str, int]:
        """The version of each graded month as the page was drawn."""
        pairs = (item.partition(":") for item in (self.versions.data or "").split())
        return {period: values.whole(version) for period, _, version in pairs if values.matches(values.WHOLE, version)}


for _dimension in IMPACT_DIMENSIONS:
    setattr(GradeForm, f"impact_{_dimension}", SelectField(DIMENSION_LABELS[_dimension], choices=[], default=""))


class WarningForm(FlaskForm):
    """One row of the warnings page (prefixed `w<id>-`); the page's own CSRF token covers every row."""

    class Meta:
        csrf = False

    response = TextAreaField(_l("Response"), validators=[Optional(), Length(max=4000)])  # Enter makes a new line
    progress = WholeField(_l("Progress (%)"), validators=[InputRequired(), NumberRange(0, 100)])
    status = SelectField(_l("Status"), choices=choices(WARNING_STATUS_LABELS.items()))
    # Drawn only on an indicator's warning: why the budget was missed, and the unit's explanation.
    cause = SelectField(_l("Cause of the miss"), choices=choices_with_prompt(CAUSE_LABELS.items()), default="")
    explanation = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=4000)])
    version = HiddenField()
    shown = HiddenField()

    def version_read(self) -> int:
        """The warning's version as the page showed it; 0 (never current) when the form lacks it."""
        return values.whole_or(self.version.data, 0)

    def offer(self, statuses) -> None:
        """Draw only STATUSES in the status list (the service refuses the others anyway)."""
        self.status.choices = choices((s, WARNING_STATUS_LABELS[s]) for s in statuses)


class RoundForm(FlaskForm):
    # The service checks both fields, so that every refused one is named at once.
    period = StringField(_l("Month"), validators=[Length(max=7)])
    deadline = DayField(_l("Deadline"), validators=[Optional()])


class ReopenForm(FlaskForm):
    # The units to reopen, ticked (all of them at first); the service names unknown ones and empty fields.
    unit = SelectMultipleField(_l("Units to reopen"), choices=[], validate_choice=False,
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    reason = StringField(_l("Reason"), validators=[Length(max=1000)])
    deadline = DayField(_l("New deadline"), validators=[Optional()])


class SheetStepForm(FlaskForm):
    """A step of a unit's grading sheet: the step is the button pressed; a return needs the reason."""
    transition = HiddenField(_l("Step"))
    comment = TextAreaField(_l("Reason for returning"), validators=[Length(max=4000)])


class ImportForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), choices=choices(IMPORT_KIND_LABELS.items()))
    period = StringField(_l("Month graded (for grades)"), validators=[Optional(), Length(max=7)])
    file = FileField(_l("File (.xlsx or .csv)"), validators=[
        FileRequired(), FileAllowed(["xlsx", "csv"], message=_l("Upload an .xlsx or .csv file."))])


class CategoryForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("English name"), validators=[DataRequired(), Length(max=100)])
    parent = SelectField(_l("Parent category"), choices=[])
