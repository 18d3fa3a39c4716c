"""Forms of the indicator pages: the definition, a year's targets, a month's sheet of values."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import VersionedForm, choices, choices_with_prompt
from .labels import PLAN_LABELS, RULE_LABELS
from .models import MONTHS

MONTH_NAMES = (_l("January"), _l("February"), _l("March"), _l("April"), _l("May"), _l("June"), _l("July"),
               _l("August"), _l("September"), _l("October"), _l("November"), _l("December"))
NUMBER_LENGTH = 30


class IndicatorForm(FlaskForm):
    """A budget indicator's definition: whose it is, what it measures and which rule judges it."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    unit = SelectField(_l("Unit"), choices=[])
    # A combobox: the usual measures are offered (the page's datalist), any short one may be typed.
    measure = StringField(_l("Measure"), validators=[Optional(), Length(max=16)],
                          render_kw={"list": "measures", "autocomplete": "off"})
    rule = SelectField(_l("Rule"), choices=choices_with_prompt(RULE_LABELS.items()))
    carry_over = BooleanField(_l("Deduct an overrun from next month's budget"))
    plan = SelectField(_l("Sales plan line"), choices=choices([("", _l("None"))] + list(PLAN_LABELS.items())),
                       default="")
    owner = StringField(_l("Reported by (user name, optional)"), validators=[Optional(), Length(max=64)])
    risk = StringField(_l("Linked risk code (optional)"), validators=[Optional(), Length(max=32)])

    def offer_units(self, units) -> None:
        """The units an indicator may belong to: the sales units, or the whole company."""
        self.unit.choices = choices([("", _l("Whole company"))] + [(u.code, u.name) for u in units])

    def data_for_service(self) -> dict:
        """The definition as the indicator service takes it, with the linked risk still by code."""
        return {"code": self.code.data, "name": self.name.data, "unit": self.unit.data or None,
                "measure": self.measure.data or "", "rule": self.rule.data, "carry_over": self.carry_over.data,
                "plan": self.plan.data or None, "owner": (self.owner.data or "").strip() or None,
                "risk": (self.risk.data or "").strip()}


class IndicatorEditForm(VersionedForm, IndicatorForm):
    """An indicator's definition, edited; it may also be switched off."""

    active = BooleanField(_l("In use"))

    def data_for_service(self) -> dict:
        return {**IndicatorForm.data_for_service(self), "active": self.active.data}


class TargetsForm(FlaskForm):
    """A year's annual target and twelve monthly budgets (`m1` … `m12`); an empty box is no figure."""

    annual = StringField(_l("Annual target"), validators=[Optional(), Length(max=NUMBER_LENGTH)])

    def data_for_service(self) -> dict:
        return {"annual": (self.annual.data or "").strip() or None,
                "monthly": [(self[f"m{m}"].data or "").strip() or None for m in MONTHS]}


for _month in MONTHS:
    setattr(TargetsForm, f"m{_month}", StringField(MONTH_NAMES[_month - 1],
                                                    validators=[Optional(), Length(max=NUMBER_LENGTH)]))


def sheet_form(rows: list[dict]) -> FlaskForm:
    """A month's sheet: one box `v_ID` per indicator of ROWS, labelled with its code and name."""

    class SheetForm(FlaskForm):
        pass

    for row in rows:
        indicator = row["indicator"]
        setattr(SheetForm, f"v_{indicator.id}", StringField(
            f"{indicator.code} {indicator.name}", validators=[Optional(), Length(max=NUMBER_LENGTH)]))
    return SheetForm()
