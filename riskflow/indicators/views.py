"""The indicator pages: the list of a month, one indicator's page, the month's sheet of a unit's values, a
year's targets, and the definition forms. Thin: each reads or saves through the indicator service."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import charts, history, periods, values as numbers
from ..auth import policy
from ..auth.service import list_units, sales_units, user_by_name
from ..db import get_session
from ..errors import RiskflowError
from ..register.board import _following
from ..web import attempt, paged
from . import service
from .forms import MONTH_NAMES, IndicatorEditForm, IndicatorForm, TargetsForm, sheet_form
from .labels import CAUSE_LABELS, COMPARED_LABELS, MEASURES, PLAN_LABELS, RULE_LABELS
from .figures import number
from .models import MONTHS

bp = Blueprint("indicators", __name__, url_prefix="/indicators")
ACTIVE_FILTER = {"yes": True, "no": False}
# The targets page's boxes of the months, as the service names their errors.
MONTH_FIELDS = {f"monthly.{m}": f"m{m}" for m in MONTHS}


@bp.app_template_filter("signed")
def signed(value) -> str:
    """A variance with its sign ("+2.5", "-1", "0")."""
    return number(value, signed=True)


# The indicator's history as people read it: what happened, and the name and value of each field changed.
INDICATOR_ACTIONS = {"create": _l("Defined"), "update": _l("Edited"), "targets": _l("Targets set"),
                     "value": _l("Value recorded")}
CHANGE_LABELS = {"code": _l("Code"), "name": _l("Name"), "unit": _l("Unit"), "measure": _l("Measure"),
                 "rule": _l("Rule"), "carry_over": _l("Overrun carried over"), "plan": _l("Sales plan line"),
                 "owner": _l("Reported by"), "risk": _l("Linked risk"), "active": _l("In use"), "year": _l("Year"),
                 "annual": _l("Annual target"), "period": _l("Month"), "value": _l("Value"),
                 "breached": _l("Status")}
BOOLEAN_TEXT = {"carry_over": {True: _l("Carried over"), False: _l("Not carried over")},
                "active": {True: _l("In use"), False: _l("Not in use")},
                "breached": {True: _l("Breached"), False: _l("Within")}}


def change_label(name: str) -> str:
    """The name of a field an indicator's history entry changed (a month's budget by its month)."""
    if name.startswith("budget_") and name[7:].isdigit() and 1 <= int(name[7:]) <= 12:
        return _("Budget of %(month)s", month=MONTH_NAMES[int(name[7:]) - 1])
    return str(CHANGE_LABELS.get(name, name))


def change_text(name: str, value, unit_names: dict, user_names: dict | None = None) -> str:
    """A value an indicator's history entry holds, as people read it (a unit by its name, the reporter by
    theirs)."""
    if value is None or value == "":
        return "—"
    if name == "unit":
        return unit_names.get(value, value)
    if name == "owner":
        return (user_names or {}).get(value, value)
    if name in BOOLEAN_TEXT and isinstance(value, bool):
        return str(BOOLEAN_TEXT[name][value])
    if name == "rule":
        return str(RULE_LABELS.get(value, value))
    if name == "plan":
        return str(PLAN_LABELS.get(value, value))
    return str(value)


@bp.context_processor
def _labels():
    return {"RULE_LABELS": RULE_LABELS, "COMPARED_LABELS": COMPARED_LABELS, "PLAN_LABELS": PLAN_LABELS,
            "CAUSE_LABELS": CAUSE_LABELS, "MEASURES": MEASURES, "MONTH_NAMES": MONTH_NAMES,
            "INDICATOR_ACTIONS": INDICATOR_ACTIONS, "change_label": change_label, "change_text": change_text}


def _period_arg(default: str) -> str:
    """The `period` asked for when it is a month that has begun, else DEFAULT (saying why when it was bad)."""
    period = request.values.get("period", "")
    if periods.is_period(period) and not periods.is_future(period):
        return period
    if period:
        flash(periods.PERIOD_MESSAGE if not periods.is_period(period) else
              _("%(period)s has not begun: showing %(shown)s.", period=period, shown=default), "error")
    return default


@bp.get("")
@login_required
def index():
    """The indicators of a month: each one's value, what it was compared with, the variance, the year to date
    and whether it breached; filtered by unit, rule and use, 50 a page, one query for the month's values."""
    db = get_session()
    policy.require(current_user, "indicator.read")
    scoped = policy.is_unit_scoped(current_user)
    units = [] if scoped else sales_units(db)
    unit_arg = request.args.get("unit", "")
    unit = next((u for u in units if u.code == unit_arg), None)
    unit_id = service.COMPANY_WIDE if unit_arg == service.COMPANY_WIDE and not scoped else (unit.id if unit else None)
    rule = request.args.get("rule") if request.args.get("rule") in RULE_LABELS else None
    active = ACTIVE_FILTER.get(request.args.get("active", ""))
    period = _period_arg(service.newest_period(db, current_user) or periods.current())
    page = paged(db, service.query(current_user, unit_id=unit_id, active=active, rule=rule))
    found = service.values_of(db, [i.id for i in page.items], period)
    args = {"unit": unit_arg if unit_id is not None else None, "rule": rule,
            "active": request.args.get("active") if active is not None else None}
    return render_template(
        "indicators/list.html", page=page, found=found, period=period, previous=periods.previous(period),
        following=_following(period), units=units, scoped=scoped, args=args, rule=rule,
        company_wide=service.COMPANY_WIDE, can_define=policy.can(current_user, "indicator.manage"),
        rule_names={k: str(v) for k, v in RULE_LABELS.items()},
        compared_names={k: str(v) for k, v in COMPARED_LABELS.items()},
        can_record=policy.can(current_user, "indicator.record"))


def _definition_data(db, form) -> dict:
    data = form.data_for_service()
    data["risk_id"] = service.risk_id_for(db, data.pop("risk"))
    return data


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Define an indicator (the risk manager): a refused definition comes back as typed, each error at its box."""
    db = get_session()
    policy.require(current_user, "indicator.manage")
    form = IndicatorForm()
    form.offer_units(sales_units(db))
    if request.method == "POST" and form.validate_on_submit():
        created = attempt(lambda: service.create(db, current_user, _definition_data(db, form)), form,
                          fields={"risk_id": "risk"})
        if created is not None:
            flash(_("Indicator %(code)s defined.", code=created.code), "info")
            return redirect(url_for("indicators.detail", indicator_id=created.id))
    return render_template("indicators/form.html", form=form, indicator=None)


@bp.route("/<int:indicator_id>/edit", methods=["GET", "POST"])
@login_required
def edit(indicator_id: int):
    """Edit an indicator's definition; a save based on an older page is refused. Values recorded before keep
    the breach they were judged by."""
    db = get_session()
    indicator = service.get(db, current_user, indicator_id, "indicator.manage")
    form = IndicatorEditForm(obj=indicator if request.method == "GET" else None)
    form.offer_units(sales_units(db))
    if request.method == "GET":
        form.unit.data = indicator.unit.code if indicator.unit else ""
        form.plan.data = indicator.plan or ""
        form.owner.data = indicator.owner.username if indicator.owner else ""
        form.risk.data = indicator.risk.code if indicator.risk else ""

    def save(data: dict):
        data["risk_id"] = service.risk_id_for(db, data.pop("risk"))
        return service.update(db, current_user, indicator.id, data)

    form_fields = {"risk_id": "risk"}
    if request.method == "POST" and form.validate_on_submit():
        saved = attempt(lambda: save({**form.data_for_service(), "version": form.version_read()}), form,
                        fields=form_fields)
        if saved is not None:
            flash(_("Indicator %(code)s saved.", code=indicator.code), "info")
            return redirect(url_for("indicators.detail", indicator_id=indicator.id))
    return render_template("indicators/form.html", form=form, indicator=indicator)


@bp.get("/<int:indicator_id>")
@login_required
def detail(indicator_id: int):
    """One indicator: its definition, the 24 months up to now as a table and a chart, its history and the
    warnings its breaches raised."""
    db = get_session()
    indicator = service.get(db, current_user, indicator_id)
    months = service.history_of(db, indicator, periods.current())
    entries = history.visible_entries(db, current_user, "indicator", indicator.id)
    chart = charts.line_chart([(m["period"], m["value"], m["reference"], m["breached"]) for m in months],
                              measure=indicator.measure, axis_title=indicator.name,
                              reference_label=COMPARED_LABELS[indicator.rule])
    return render_template(
        "indicators/detail.html", indicator=indicator, months=months, chart=chart,
        entries=entries, unit_names={u.code: u.name for u in list_units(db)}, user_names=_reporters(db, entries),
        warnings=service.warnings_of(db, indicator), year=periods.current_year(),
        can_manage=policy.can(current_user, "indicator.manage", indicator),
        can_record=service.may_record(current_user, indicator))


def _reporters(db, entries) -> dict[str, str]:
    """The names of the reporters the history ENTRIES name by user name."""
    usernames = {value for e in entries for name, change in (e.changes or {}).items() if name == "owner"
                 for value in change if value}
    users = (user_by_name(db, username) for username in sorted(usernames))
    return {u.username: u.label for u in users if u is not None}


@bp.route("/<int:indicator_id>/targets/<int:year>", methods=["GET", "POST"])
@login_required
def targets(indicator_id: int, year: int):
    """A year's annual target and twelve monthly budgets of an indicator, with the effective budget after
    carry-over; a refused save keeps every box as typed, each error at its box."""
    db = get_session()
    indicator = service.get(db, current_user, indicator_id, "indicator.manage")
    last_year = periods.current_year() + 1
    if not 2000 <= year <= last_year:
        abort(404)
    form = TargetsForm()
    if request.method == "POST" and form.validate_on_submit():
        saved = attempt(lambda: service.put_targets(db, current_user, indicator.id, year, form.data_for_service()),
                        form, fields=MONTH_FIELDS)
        if saved is not None:
            flash(_("Targets of %(code)s for %(year)s saved.", code=indicator.code, year=year), "info")
            return redirect(url_for("indicators.targets", indicator_id=indicator.id, year=year))
    stored = service.targets_json(db, indicator, year)
    if request.method == "GET":
        row = service.target(db, indicator.id, year)
        form.annual.data = number(row.annual) if row and row.annual is not None else ""
        for m in MONTHS:
            budget = row.monthly[m - 1] if row else None
            form[f"m{m}"].data = number(budget) if budget is not None else ""
    return render_template(
        "indicators/targets.html", indicator=indicator, form=form, year=year,
        effective=stored["effective_budget"] if indicator.carry_over else None,
        previous_year=year - 1 if year > 2000 else None, next_year=year + 1 if year < last_year else None)


def _sheet_unit(db) -> tuple[object, list, str]:
    """The sheet's unit (None: the company-wide indicators), the units offered and the `unit` value shown: a
    unit's roles keep to their unit (and the company-wide ones they are named to report); the company's roles
    start on the company-wide ones."""
    asked = request.values.get("unit", "")
    if policy.is_unit_scoped(current_user):
        own = current_user.unit
        if asked == service.COMPANY_WIDE or own is None:
            return None, [own] if own else [], service.COMPANY_WIDE
        return own, [own], own.code
    units = sales_units(db)
    unit = next((u for u in units if u.code == asked), None)
    if unit is None and asked not in ("", service.COMPANY_WIDE):
        flash(_("Unknown unit."), "error")
    return unit, units, unit.code if unit else service.COMPANY_WIDE


@bp.route("/sheet", methods=["GET", "POST"])
@login_required
def sheet():
    """A month of a unit's values on one sheet: every active indicator the user reports, last month's value
    beside its box. Only the boxes typed in are saved, all or none; a refused save keeps every typed value."""
    db = get_session()
    policy.require(current_user, "indicator.read")
    unit, units, unit_value = _sheet_unit(db)
    period = _period_arg(periods.previous(periods.current()))
    rows = service.sheet_rows(db, current_user, unit.id if unit else None, period)
    form = sheet_form(rows)
    if request.method == "GET":
        for row in rows:
            if row["this"] is not None:
                form[f"v_{row['indicator'].id}"].data = number(row["this"].value)
    elif form.validate_on_submit():
        entered = _entered(form, rows)
        try:
            saved = service.record_month(db, current_user, period, entered)
        except service.RowsRefused as refused:
            db.rollback()
            for indicator_id, errors in refused.rows.items():
                form[f"v_{indicator_id}"].errors = [str(m) for messages in errors.values() for m in messages]
        except RiskflowError as exc:
            db.rollback()
            flash(str(exc.message), "error")
        else:
            db.commit()
            _flash_saved(saved, {row["indicator"].id: row["indicator"] for row in rows}, period)
            return redirect(url_for("indicators.sheet", unit=unit_value, period=period))
    return render_template("indicators/sheet.html", form=form, rows=rows, unit=unit, units=units,
                           unit_value=unit_value, company_wide=service.COMPANY_WIDE, period=period,
                           previous=periods.previous(period), following=_following(period),
                           scoped=policy.is_unit_scoped(current_user))


def _entered(form, rows) -> dict[int, str]:
    """The boxes the user typed in: not empty, and not the month's value as drawn."""
    entered = {}
    for row in rows:
        text = (form[f"v_{row['indicator'].id}"].data or "").strip()
        if not text:
            continue
        if row["this"] is not None:
            try:
                if numbers.decimal(text) == row["this"].value:
                    continue
            except ValueError:
                pass
        entered[row["indicator"].id] = text
    return entered


def _flash_saved(saved, indicators: dict, period: str) -> None:
    if not saved:
        flash(_("Nothing was typed, so nothing was saved."), "info")
        return
    flash(ngettext("%(num)d value for %(period)s saved.", "%(num)d values for %(period)s saved.", len(saved),
                   period=period), "info")
    breached = [indicators[v.indicator_id].code for v in saved if v.breached]
    if breached:
        flash(_("Breached: %(codes)s.", codes=_(", ").join(breached)), "error")
