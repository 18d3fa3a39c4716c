"""Budget indicators: their definitions, each year's targets, the monthly values judged by the rules, and the
warnings every breach raises. The web pages, the API, the imports and the demo all come through here."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from .. import editing, history, periods, values as numbers
from ..auth import policy
from ..auth.models import Unit, User
from ..db import valid_id
from ..errors import Conflict, FieldErrors, Invalid, RiskflowError
from ..notifications import events
from ..register import warnings
from ..register.assessments import check_period
from ..register.models import Risk, RiskWarning
from ..validation import one_of
from . import rules
from .labels import PLAN_LABELS, RULE_LABELS
from .models import MONTHS, Indicator, IndicatorTarget, IndicatorValue
from .serialize import decimal_json

FIELDS = ("code", "name", "unit", "measure", "rule", "carry_over", "plan", "risk_id", "owner")
EDITABLE = FIELDS + ("active",)
LIMIT = Decimal(10) ** 16
PLACES = Decimal("0.0001")  # the places the value and target columns keep


def _entry_units(session: Session, entry) -> set[int] | None:
    """The units an indicator's history entry speaks of: a linked risk's, and a unit named by code."""
    return history.units_named(session, entry, Risk, risks=("risk",), units=("unit",))


# An indicator moved from one unit to another: the entries naming the first are not for the second.
history.register_entity("indicator", lambda session, id_: session.get(Indicator, id_), _entry_units)


def number(value, field: str, errors: FieldErrors, *, allow_none: bool = False) -> Decimal | None:
    """A finite decimal below 10^16 in size from VALUE (JSON number or text), rounded to the 4 places it is
    stored with (judged unrounded, 100.00004 breached a target of 100 and read 100 afterwards), or None with
    the error at FIELD."""
    if value is None and allow_none:
        return None
    try:
        result = numbers.decimal(value).quantize(PLACES, rounding=ROUND_HALF_UP)
    except (ValueError, InvalidOperation):
        errors.add(field, numbers.NUMBER_MESSAGE)
        return None
    if abs(result) >= LIMIT:
        errors.add(field, numbers.NUMBER_MESSAGE)
        return None
    return result


def _unit(session: Session, actor, code, errors: FieldErrors) -> Unit | None:
    if code is None:
        return None
    unit = session.scalar(select(Unit).where(Unit.code == code)) if isinstance(code, str) else None
    if unit is None or not policy.in_scope(actor, unit):
        errors.add("unit", _l("Unknown unit."))
    return unit


def _owner(session: Session, name, errors: FieldErrors) -> User | None:
    if name is None or name == "":
        return None
    user = session.scalar(select(User).where(User.username == name)) if isinstance(name, str) else None
    if user is None or not user.active:
        errors.add("owner", _l("Unknown user."))
    return user


def definition(session: Session, actor, data: dict, errors: FieldErrors, current: Indicator | None = None) -> dict:
    """The checked column values of the indicator fields in DATA: every field when defining one (CURRENT None),
    only those sent when editing CURRENT (`active` too, which a new indicator does not take)."""
    sent = (lambda name: True) if current is None else (lambda name: name in data)
    checked: dict = {}
    if sent("code"):
        if not numbers.is_indicator_code(data.get("code")):
            errors.add("code", numbers.CODE_MESSAGE)
        checked["code"] = data.get("code")
    if sent("name"):
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            errors.add("name", _l("A name is required."))
        elif len(name) > 200:
            errors.add("name", _l("At most %(n)d characters.", n=200))
        else:
            checked["name"] = name.strip()
    if sent("unit"):
        checked["unit"] = _unit(session, actor, data.get("unit"), errors) if "unit" in data else None
    if sent("measure"):
        measure = data.get("measure", "")
        if measure is None:
            measure = ""
        if not isinstance(measure, str) or len(measure.strip()) > 16:
            errors.add("measure", _l("At most %(n)d characters.", n=16))
        else:
            checked["measure"] = measure.strip()
    if sent("rule"):
        if data.get("rule") not in rules.RULES:
            errors.add("rule", one_of(RULE_LABELS))
        checked["rule"] = data.get("rule")
    if sent("carry_over"):
        carry = data.get("carry_over", False)
        if not isinstance(carry, bool):
            errors.add("carry_over", _l("Must be true or false."))
        checked["carry_over"] = carry
    if sent("plan"):
        plan = data.get("plan") or None
        if plan is not None and plan not in PLAN_LABELS:
            errors.add("plan", one_of(PLAN_LABELS))
        checked["plan"] = plan
    if sent("owner"):
        checked["owner"] = _owner(session, data.get("owner"), errors)
    if sent("risk_id"):
        risk_id = data.get("risk_id")
        risk = None
        if risk_id is not None:
            risk = session.get(Risk, risk_id) if valid_id(risk_id) else None
            if risk is None or not policy.in_scope(actor, risk):
                errors.add("risk_id", _l("Unknown risk."))
                risk = None
        checked["risk"] = risk
    if current is None and "unit" not in data and checked.get("risk") is not None:
        checked["unit"] = checked["risk"].unit  # an indicator of a unit's risk is that unit's unless told
    if current is not None and "active" in data:
        if not isinstance(data["active"], bool):
            errors.add("active", _l("Must be true or false."))
        checked["active"] = data["active"]
    _consistent(current, checked, errors)
    return checked


def _consistent(current: Indicator | None, checked: dict, errors: FieldErrors) -> None:
    """The rules between fields: carry-over only for a budget ceiling; a linked risk and the owner of the
    indicator's unit (an owner with a unit role works in that unit)."""
    def now(name, attribute=None):
        if name in checked:
            return checked[name]
        return getattr(current, attribute or name) if current is not None else None

    rule, carry, unit, risk, owner = now("rule"), now("carry_over"), now("unit"), now("risk"), now("owner")
    if carry and rule in rules.RULES and rule not in rules.CARRY_OVER_RULES and "rule" not in errors.errors:
        errors.add("carry_over", _l("Only an indicator judged above the month's budget carries an overrun over."))
    unit_id = unit.id if unit is not None else None
    # A company-wide indicator links no unit's risk: its breaches would warn that unit's risk, written by the
    # risk manager or its owner, and every unit reading the indicator would read the risk.
    if risk is not None and risk.unit_id != unit_id and "unit" not in errors.errors and "risk_id" not in errors.errors:
        errors.add("risk_id" if "risk" in checked else "unit", _l("The linked risk must belong to the indicator's unit."))
    # Checked when either changes: moving an owned indicator to another unit would leave its owner behind.
    if owner is not None and unit_id is not None and "unit" not in errors.errors and "owner" not in errors.errors \
            and ("owner" in checked or "unit" in checked):
        field = "owner" if "owner" in checked else "unit"
        if policy.is_unit_scoped(owner) and owner.unit_id != unit_id:
            errors.add(field, _l("The owner must work in the indicator's unit."))
        elif not policy.role_allows(owner, "indicator.record"):
            # A viewer or an inspector named owner would write a unit's figures no unit role gave them.
            errors.add(field, _l("A unit's indicator is reported by one who records that unit's values."))


def _code_taken(session: Session, code: str, indicator_id: int | None = None) -> None:
    """Refuse CODE when another indicator has it."""
    taken = session.scalar(select(Indicator.id).where(Indicator.code == code))
    if taken is not None and taken != indicator_id:
        raise Conflict(_l("Indicator %(code)s already exists.", code=code), {"code": [_l("Already taken.")]})


def create(session: Session, actor, data: dict) -> Indicator:
    """Define an indicator of a unit (or company-wide), judged by one rule, optionally linked to a risk."""
    policy.require(actor, "indicator.manage")
    errors = FieldErrors()
    checked = definition(session, actor, data, errors)
    for name in sorted(set(data) - set(FIELDS)):
        errors.add(name, _l("This field cannot be changed."))
    errors.raise_if_any(_l("The indicator was not saved."))
    _code_taken(session, checked["code"])
    indicator = Indicator(**checked)
    session.add(indicator)
    session.flush()
    history.record(session, actor, "indicator", indicator.id, "create", changes=history.diff({}, fields(indicator)))
    return indicator


def get(session: Session, actor, indicator_id: int, action: str = "indicator.read") -> Indicator:
    """The indicator with INDICATOR_ID if ACTOR may take ACTION on it; another unit's is NotFound."""
    return policy.require_found(actor, action, session.get(Indicator, indicator_id) if valid_id(indicator_id) else None)


def fields(indicator: Indicator) -> dict:
    """The indicator as the history shows it: the unit, risk and owner by code and name."""
    return {**history.snapshot(indicator, ("code", "name", "measure", "rule", "carry_over", "plan", "active")),
            "unit": indicator.unit.code if indicator.unit else None,
            "risk": indicator.risk.code if indicator.risk else None,
            "owner": indicator.owner.username if indicator.owner else None}


def update(session: Session, actor, indicator_id: int, data: dict) -> Indicator:
    """Edit an indicator's definition; a `version` older than the indicator's is refused (409). A change of
    rule, carry-over or activity judges every recorded month again."""
    indicator = get(session, actor, indicator_id, "indicator.manage")
    checked = editing.checked(
        indicator, data, EDITABLE, lambda errors: definition(session, actor, data, errors, current=indicator),
        label=indicator.code, refused=None, not_saved=_l("The indicator was not saved."))
    if "code" in checked:
        _code_taken(session, checked["code"], indicator.id)
    before = fields(indicator)
    old_risk = indicator.risk
    editing.apply(indicator, checked)
    changes = editing.record(session, actor, indicator, before, fields(indicator))
    if changes.keys() & {"rule", "carry_over", "active", "risk", "unit"}:
        for year in recorded_years(session, indicator.id):
            recompute(session, indicator, year, force=True)
        if old_risk is not None and old_risk is not indicator.risk:
            for period in session.scalars(select(IndicatorValue.period).where(
                    IndicatorValue.indicator_id == indicator.id)):
                warnings.refresh(session, old_risk, period)
    return indicator


editing.register(Indicator, "indicator.manage", lambda indicator: True)


# ---- targets ---------------------------------------------------------------------------------------------

FIRST_YEAR = 2000  # no budget of riskflow's companies is older; a year before is a slip of the keyboard


def check_year(value, errors: FieldErrors, field: str = "year") -> int | None:
    """A year targets may be set for: from FIRST_YEAR to next year."""
    if not isinstance(value, int) or isinstance(value, bool) or not FIRST_YEAR <= value <= periods.current_year() + 1:
        errors.add(field, _l("A year from 2000 to %(last)d.", last=periods.current_year() + 1))
        return None
    return value


def check_month(value, errors: FieldErrors, field: str = "period") -> str | None:
    """A month values may be recorded for: not in the future, and not before FIRST_YEAR."""
    period = check_period(value, errors, field)
    if period is not None and int(period[:4]) < FIRST_YEAR:
        errors.add(field, _l("A month from 2000-01 on."))
        return None
    return period


def target(session: Session, indicator_id: int, year: int) -> IndicatorTarget | None:
    return session.scalar(select(IndicatorTarget).where(IndicatorTarget.indicator_id == indicator_id,
                                                        IndicatorTarget.year == year))


def _target_text(row: IndicatorTarget | None) -> dict:
    if row is None:
        return {"annual": None, "monthly": [None] * 12}
    show = lambda v: None if v is None else _text(v)  # noqa: E731
    return {"annual": show(row.annual), "monthly": [show(v) for v in row.monthly]}


def check_targets(data: dict, errors: FieldErrors) -> tuple[Decimal | None, list[Decimal | None]]:
    """The annual target and twelve monthly budgets DATA sends, checked (the errors name `annual`,
    `monthly`, or `monthly.N` for month N)."""
    annual = number(data.get("annual"), "annual", errors, allow_none=True)
    monthly = data.get("monthly", [None] * 12)
    budgets: list[Decimal | None] = [None] * 12
    if not isinstance(monthly, list) or len(monthly) != 12:
        errors.add("monthly", _l("Twelve numbers or nulls, January to December."))
    else:
        for index, budget in enumerate(monthly):
            budgets[index] = number(budget, f"monthly.{index + 1}", errors, allow_none=True)
    for name in sorted(set(data) - {"annual", "monthly"}):
        errors.add(name, _l("This field cannot be changed."))
    return annual, budgets


def put_targets(session: Session, actor, indicator_id: int, year, data: dict) -> IndicatorTarget:
    """Set YEAR's annual target and monthly budgets of an indicator (the risk manager's, for finance); every
    change is in the indicator's history, and the year's months are judged again."""
    indicator = get(session, actor, indicator_id, "indicator.manage")
    errors = FieldErrors()
    year = check_year(year, errors)
    annual, budgets = check_targets(data, errors)
    errors.raise_if_any(_l("The targets were not saved."))
    return store_targets(session, actor, indicator, year, annual, budgets)


def store_targets(session: Session, actor, indicator: Indicator, year: int, annual, budgets) -> IndicatorTarget:
    """Write checked targets (the import's door too) and judge the year again."""
    lock(session, indicator)
    row = target(session, indicator.id, year)
    before = _target_text(row)
    if row is None:
        row = IndicatorTarget(indicator_id=indicator.id, year=year)
        session.add(row)
    row.annual, row.monthly, row.updated_by_id = annual, budgets, getattr(actor, "id", None)
    session.flush()
    after = _target_text(row)
    changes = {}
    if before["annual"] != after["annual"]:
        changes["annual"] = [before["annual"], after["annual"]]
    for month in MONTHS:
        old, new = before["monthly"][month - 1], after["monthly"][month - 1]
        if old != new:
            changes[f"budget_{month:02d}"] = [old, new]
    if changes:
        history.record(session, actor, "indicator", indicator.id, "targets", changes={"year": [None, year], **changes})
        recompute(session, indicator, year)
    return row


def read_targets(session: Session, actor, indicator_id: int, year) -> dict:
    """YEAR's targets of an indicator ACTOR may read, as GET /indicators/{id}/targets/{year} gives them; a year
    that could not be set (before 2000, after next year) is refused as PUT refuses it."""
    indicator = get(session, actor, indicator_id)
    errors = FieldErrors()
    year = check_year(year, errors)
    errors.raise_if_any(_l("Use a year such as 2026."))
    return targets_json(session, indicator, year)


def targets_json(session: Session, indicator: Indicator, year: int) -> dict:
    row = target(session, indicator.id, year)
    annual, budgets = (row.annual, row.monthly) if row else (None, [None] * 12)
    values = _values_of_year(session, indicator.id, year)
    effective = rules.effective_budgets(budgets, [values.get(m) and values[m].value for m in MONTHS],
                                        indicator.carry_over and indicator.rule in rules.CARRY_OVER_RULES)
    return {"indicator_id": indicator.id, "year": year, "annual": decimal_json(annual),
            "monthly": [decimal_json(b) for b in budgets], "effective_budget": [decimal_json(b) for b in effective]}


# ---- values ----------------------------------------------------------------------------------------------

def may_record(actor, indicator: Indicator) -> bool:
    """True when ACTOR may record INDICATOR's values: its unit's roles (or the company's), and for a
    company-wide one its named owner too."""
    if policy.can(actor, "indicator.record", indicator):
        return True
    # Only a company-wide one: a unit's figures are its roles' whoever was once named its owner.
    return indicator.unit_id is None and indicator.owner_id is not None \
        and getattr(actor, "id", None) == indicator.owner_id and getattr(actor, "active", False)


def _recordable(session: Session, actor, indicator_id) -> Indicator:
    indicator = session.get(Indicator, indicator_id) if valid_id(indicator_id) else None
    policy.require_found(actor, "indicator.read", indicator)
    if not may_record(actor, indicator):
        policy.require(actor, "indicator.record", indicator)
    return indicator


def check_value(data: dict, errors: FieldErrors) -> tuple[str | None, Decimal | None]:
    period = check_month(data.get("period"), errors)
    value = number(data.get("value"), "value", errors)
    return period, value


def record_value(session: Session, actor, indicator_id: int, data: dict) -> tuple[IndicatorValue, bool]:
    """Record (or correct) a month's value; returns (value, created). The later months of the year are judged
    again (the carry-over chain, the year to date), and each breach raises its warning."""
    indicator = _recordable(session, actor, indicator_id)
    errors = FieldErrors()
    period, value = check_value(data, errors)
    for name in sorted(set(data) - {"period", "value"}):
        errors.add(name, _l("This field cannot be changed."))
    errors.raise_if_any(_l("The value was not saved."))
    return store_value(session, actor, indicator, period, value)


def lock(session: Session, indicator: Indicator) -> None:
    """Hold INDICATOR's row until the transaction ends: the values and targets of one indicator are written
    one writer at a time, so that each judges the chain with every value committed before it (two months
    recorded at once would each miss the other's overrun)."""
    session.execute(sql_update(Indicator).where(Indicator.id == indicator.id).values(code=Indicator.code)
                    .execution_options(synchronize_session=False))


def store_value(session: Session, actor, indicator: Indicator, period: str, value: Decimal):
    """Write a checked value and judge its year again; returns (value, created)."""
    lock(session, indicator)
    row, created, changes = _write_value(session, actor, indicator, period, value)
    before = row.breached
    recompute(session, indicator, int(period[:4]))
    _record_value(session, actor, indicator, row, created, changes, before)
    return row, created


def store_values(session: Session, actor, indicator: Indicator, entered: dict[str, Decimal]) -> None:
    """Write checked values of several months of one indicator (ENTERED maps a period to its value) and judge
    each year they fall in once: the same as storing them one by one, oldest first, without judging a year
    again for each of its months (a history taken over at once, the demo's year)."""
    lock(session, indicator)
    written = [_write_value(session, actor, indicator, period, value) for period, value in sorted(entered.items())]
    before = [row.breached for row, _, _ in written]
    for year in sorted({int(period[:4]) for period in entered}):
        recompute(session, indicator, year)
    for (row, created, changes), breached in zip(written, before):
        _record_value(session, actor, indicator, row, created, changes, breached)


def _write_value(session: Session, actor, indicator: Indicator, period: str, value: Decimal):
    """Insert or correct a month's value, not yet judged; returns (row, created, the history's changes)."""
    row = session.scalar(select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id,
                                                      IndicatorValue.period == period))
    created = row is None
    if created:
        row = IndicatorValue(indicator_id=indicator.id, period=period, value=value, breached=False,
                             recorded_by_id=getattr(actor, "id", None))
        session.add(row)
        changes = {"period": [None, period], "value": [None, _text(value)]}
    else:
        changes = {"period": [period, period], "value": [_text(row.value), _text(value)]} \
            if row.value != value else {}
        row.value, row.recorded_by_id = value, getattr(actor, "id", None)
    session.flush()
    return row, created, changes


def _record_value(session: Session, actor, indicator: Indicator, row: IndicatorValue, created: bool, changes: dict,
                  before: bool) -> None:
    """The history entry of a value written and judged (BEFORE: its breach until then)."""
    if changes:
        if before != row.breached or created:
            changes["breached"] = [None if created else before, row.breached]
        history.record(session, actor, "indicator", indicator.id, "value", changes=changes)


class RowsRefused(Invalid):
    """Some values of a month's sheet were refused: ROWS maps an indicator's id to its errors; nothing saved."""

    def __init__(self, rows: dict[int, dict]):
        super().__init__(_l("Nothing was saved: correct the marked rows."))
        self.rows = rows


def record_month(session: Session, actor, period: str, entered: dict[int, object]) -> list[IndicatorValue]:
    """Record a month's values of several indicators at once (ENTERED maps an indicator's id to the value
    typed), all or none: every refused row is named in one RowsRefused."""
    errors = FieldErrors()
    period = check_month(period, errors)
    errors.raise_if_any(_l("The values were not saved."))
    checked, refused = {}, {}
    for indicator_id, text in entered.items():
        try:
            indicator = _recordable(session, actor, indicator_id)
        except RiskflowError as exc:
            refused[indicator_id] = {"value": [exc.message]}
            continue
        row_errors = FieldErrors()
        value = number(text, "value", row_errors)
        if row_errors:
            refused[indicator_id] = row_errors.errors
        else:
            checked[indicator_id] = (indicator, value)
    if refused:
        raise RowsRefused(refused)
    return [store_value(session, actor, indicator, period, value)[0] for indicator, value in checked.values()]


def _text(value: Decimal) -> str:
    """A decimal as the history keeps it: no exponent, no trailing zeros."""
    return format(value.normalize(), "f")


def _values_of_year(session: Session, indicator_id: int, year: int) -> dict[int, IndicatorValue]:
    stmt = select(IndicatorValue).where(IndicatorValue.indicator_id == indicator_id,
                                        IndicatorValue.period.like(f"{year:04d}-%"))
    return {int(row.period[5:]): row for row in session.scalars(stmt)}


def recorded_years(session: Session, indicator_id: int) -> list[int]:
    stmt = select(IndicatorValue.period).where(IndicatorValue.indicator_id == indicator_id)
    return sorted({int(p[:4]) for p in session.scalars(stmt)})


def judge(session: Session, indicator: Indicator, year: int, stored: dict[int, IndicatorValue] | None = None
          ) -> list[rules.Judgement]:
    """YEAR's twelve months of INDICATOR as the rule judges them now (STORED: the year's values, when read
    already)."""
    row = target(session, indicator.id, year)
    if stored is None:
        stored = _values_of_year(session, indicator.id, year)
    return rules.judge_year(indicator.rule, indicator.carry_over, row.annual if row else None,
                            row.monthly if row else [None] * 12,
                            [stored[m].value if m in stored else None for m in MONTHS])


def recompute(session: Session, indicator: Indicator, year: int, force: bool = False) -> None:
    """Judge YEAR's recorded months again and store what each was compared with; a month whose breach changed
    (every month with FORCE) has its warning raised, kept or withdrawn. A month breached before and after
    already has its warning: a correction early in a carry-over chain does not look up every later one's."""
    stored = _values_of_year(session, indicator.id, year)
    with events.warnings_told_together(session):
        for judgement in judge(session, indicator, year, stored):
            row = stored.get(judgement.month)
            if row is None:
                continue
            changed = force or row.breached != judgement.breached or row.id is None
            row.ytd, row.compared_with, row.variance = judgement.ytd, judgement.compared_with, judgement.variance
            row.breached = judgement.breached
            if changed:
                session.flush()
                raise_warning(session, indicator, row.period)
        session.flush()


def raise_warning(session: Session, indicator: Indicator, period: str) -> None:
    """The warning of a month's breach: on the linked risk, or on the indicator itself."""
    if indicator.risk is not None:
        warnings.refresh(session, indicator.risk, period)
    else:
        warnings.refresh_indicator(session, indicator, period)


def year_values(session: Session, actor, indicator_id: int, year) -> list[dict]:
    """YEAR's recorded months of an indicator, oldest first, as GET /indicators/{id}/values gives them."""
    indicator = get(session, actor, indicator_id)
    errors = FieldErrors()
    year = check_year(year, errors)
    errors.raise_if_any(_l("Use a year such as 2026."))
    stored = _values_of_year(session, indicator.id, year)
    return [value_json(stored[m]) for m in sorted(stored)]


def value_json(row: IndicatorValue) -> dict:
    return {"indicator_id": row.indicator_id, "period": row.period, "value": decimal_json(row.value),
            "ytd": decimal_json(row.ytd), "compared_with": decimal_json(row.compared_with),
            "variance": decimal_json(row.variance), "breached": row.breached}


def history_of(session: Session, indicator: Indicator, last: str, months: int = 24) -> list[dict]:
    """The MONTHS months up to LAST of an indicator: each month's value (or None), what it was compared with,
    the effective budget and whether it was breached, oldest first (the trend table and chart)."""
    return histories(session, [indicator], last, months)[indicator.id]


def histories(session: Session, indicators, last: str, months: int = 24) -> dict[int, list[dict]]:
    """history_of for many indicators in two queries (the monthly report charts every breached one), by id:
    each month also has the year's `annual` target, its `budget` and the `reference` the rule draws."""
    span = periods.span(periods.shift(last, -(months - 1)), last)
    years = sorted({int(period[:4]) for period in span})
    indicators = list(indicators)
    ids = [indicator.id for indicator in indicators]
    targets, values = {}, {}
    if ids:
        stmt = select(IndicatorTarget).where(IndicatorTarget.indicator_id.in_(ids), IndicatorTarget.year.in_(years))
        targets = {(row.indicator_id, row.year): row for row in session.scalars(stmt)}
        stmt = select(IndicatorValue.indicator_id, IndicatorValue.period, IndicatorValue.value).where(
            IndicatorValue.indicator_id.in_(ids), IndicatorValue.period.between(f"{years[0]:04d}-01",
                                                                                f"{years[-1]:04d}-12"))
        for indicator_id, period, value in session.execute(stmt):
            values.setdefault((indicator_id, int(period[:4])), [None] * 12)[int(period[5:]) - 1] = value
    result = {}
    for indicator in indicators:
        judged = {}
        for year in years:
            row = targets.get((indicator.id, year))
            annual, budgets = (row.annual, row.monthly) if row else (None, [None] * 12)
            judged[year] = (annual, budgets, rules.judge_year(indicator.rule, indicator.carry_over, annual, budgets,
                                                              values.get((indicator.id, year), [None] * 12)))
        result[indicator.id] = []
        for period in span:
            annual, budgets, judgements = judged[int(period[:4])]
            j = judgements[int(period[5:]) - 1]
            result[indicator.id].append({
                "period": period, "value": j.value, "ytd": j.ytd, "compared_with": j.compared_with,
                "effective_budget": j.effective_budget, "variance": j.variance, "breached": j.breached,
                "annual": annual, "budget": budgets[j.month - 1],
                "reference": rules.reference(indicator.rule, annual, j)})
    return result


# ---- lists -----------------------------------------------------------------------------------------------

COMPANY_WIDE = numbers.COMPANY_WIDE  # the unit filter's value for the indicators of no unit


def query(actor, *, unit_id: int | str | None = None, active: bool | None = None, rule: str | None = None):
    """The indicators ACTOR may see: the company-wide ones and their unit's (every one for the company's
    roles), by code. UNIT_ID keeps one unit's (COMPANY_WIDE: those of no unit), RULE those judged by it."""
    policy.require(actor, "indicator.read")
    stmt = select(Indicator).order_by(Indicator.code)
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where(Indicator.unit_id.is_(None) | (Indicator.unit_id == scope))
    if unit_id == COMPANY_WIDE:
        stmt = stmt.where(Indicator.unit_id.is_(None))
    elif unit_id is not None:
        stmt = stmt.where(Indicator.unit_id == unit_id)
    if active is not None:
        stmt = stmt.where(Indicator.active.is_(active))
    if rule is not None:
        stmt = stmt.where(Indicator.rule == rule)
    return stmt


def newest_period(session: Session, actor) -> str | None:
    """The newest month with a value of an indicator ACTOR may see (never one to come)."""
    seen = query(actor).with_only_columns(Indicator.id).order_by(None)
    return session.scalar(select(func.max(IndicatorValue.period)).where(
        IndicatorValue.indicator_id.in_(seen), IndicatorValue.period <= periods.current()))


def sheet_rows(session: Session, actor, unit_id: int | None, period: str) -> list[dict]:
    """A month's sheet: the active indicators of UNIT_ID (None: the company-wide ones) whose values ACTOR
    records, each with {indicator, last: last month's value, this: PERIOD's value} (values or None)."""
    stmt = query(actor, unit_id=COMPANY_WIDE if unit_id is None else unit_id, active=True)
    found = [i for i in session.scalars(stmt).unique() if may_record(actor, i)]
    ids = [i.id for i in found]
    last, this = values_of(session, ids, periods.previous(period)), values_of(session, ids, period)
    return [{"indicator": i, "last": last.get(i.id), "this": this.get(i.id)} for i in found]


def warnings_of(session: Session, indicator: Indicator) -> list[RiskWarning]:
    """The warnings INDICATOR's breaches raised, newest month first: its own (no linked risk), and its linked
    risk's in the months it was breached."""
    own = RiskWarning.indicator_id == indicator.id
    if indicator.risk_id is not None:
        breached = select(IndicatorValue.period).where(IndicatorValue.indicator_id == indicator.id,
                                                       IndicatorValue.breached.is_(True))
        own = own | ((RiskWarning.risk_id == indicator.risk_id) & RiskWarning.period.in_(breached))
    return list(session.scalars(select(RiskWarning).where(own).order_by(RiskWarning.period.desc())))


def latest_values(session: Session, indicator_ids) -> dict[int, IndicatorValue]:
    """The newest value of each indicator (only those rows are read: a list of 200 indicators with two years
    of values each loaded 4,800 rows to keep 200)."""
    ids = list(indicator_ids)
    if not ids:
        return {}
    newest = (select(IndicatorValue.indicator_id, func.max(IndicatorValue.period).label("period"))
              .where(IndicatorValue.indicator_id.in_(ids)).group_by(IndicatorValue.indicator_id).subquery())
    stmt = select(IndicatorValue).join(newest, (IndicatorValue.indicator_id == newest.c.indicator_id)
                                       & (IndicatorValue.period == newest.c.period))
    return {row.indicator_id: row for row in session.scalars(stmt)}


def values_of(session: Session, indicator_ids, period: str) -> dict[int, IndicatorValue]:
    """PERIOD's value of each of INDICATOR_IDS that has one."""
    ids = list(indicator_ids)
    if not ids:
        return {}
    stmt = select(IndicatorValue).where(IndicatorValue.indicator_id.in_(ids), IndicatorValue.period == period)
    return {row.indicator_id: row for row in session.scalars(stmt)}


def breaches(session: Session, actor, period: str) -> list[tuple[Indicator, IndicatorValue]]:
    """PERIOD's breached indicators in use that ACTOR may see, by code (one switched off warns nobody)."""
    stmt = query(actor, active=True).add_columns(IndicatorValue).join(
        IndicatorValue, IndicatorValue.indicator_id == Indicator.id).where(
        IndicatorValue.period == period, IndicatorValue.breached.is_(True))
    return [(ind, val) for ind, val in session.execute(stmt)]


def missing(session: Session, actor, period: str, *, mine: bool = False) -> list[Indicator]:
    """The active indicators ACTOR may see with no value for PERIOD; MINE keeps those ACTOR reports."""
    stmt = query(actor, active=True).where(~select(IndicatorValue.id).where(
        IndicatorValue.indicator_id == Indicator.id, IndicatorValue.period == period).exists())
    found = list(session.scalars(stmt).unique())
    return [i for i in found if may_record(actor, i)] if mine else found


def risk_id_for(session: Session, code: str | None) -> int | None:
    """The id of the risk a page names by CODE (None when blank); a code that names no risk gives an id that
    names none, for `definition` to refuse at the field."""
    if not code:
        return None
    return session.scalar(select(Risk.id).where(Risk.code == code)) or -1
