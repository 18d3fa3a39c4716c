"""The budget system's warning rules (预算指标预警), as pure functions of decimals: the one place for their
arithmetic. A rule compares a month's value (or the year-to-date sum) with the year's annual target, the
month's effective budget, or the target's time progress (序时进度); an equal value never warns."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RULES = ("above_target", "below_target", "above_budget", "below_budget", "behind_progress")
# Only a cost indicator judged against its monthly budget deducts an overrun from the next month's (冲减次月预算).
CARRY_OVER_RULES = ("above_budget",)
PLACES = Decimal("0.0001")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Judgement:
    """One month of an indicator: its value (None when not reported), the year-to-date sum of the values
    reported so far, the effective budget of the month, what the rule compared with, the variance and
    whether the month is breached."""

    month: int
    value: Decimal | None
    ytd: Decimal | None
    effective_budget: Decimal | None
    compared_with: Decimal | None
    variance: Decimal | None
    breached: bool


def effective_budgets(monthly, values, carry_over: bool) -> list[Decimal | None]:
    """Each month's budget after the overruns carried into it: January's is its budget; month m's is
    budget(m) − max(0, value(m−1) − effective(m−1)), never below 0, when CARRY_OVER; a month without a value
    (or without a budget) carries nothing into the next."""
    result: list[Decimal | None] = []
    carried = ZERO
    for budget, value in zip(monthly, values):
        effective = None if budget is None else (max(ZERO, budget - carried) if carry_over else budget)
        result.append(effective)
        carried = max(ZERO, value - effective) if carry_over and value is not None and effective is not None \
            else ZERO
    return result


def progress_target(annual: Decimal, month: int) -> Decimal:
    """The time progress of an annual target at the end of MONTH (annual × month ÷ 12), to four places."""
    return (annual * month / 12).quantize(PLACES, ROUND_HALF_UP)


def judge_year(rule: str, carry_over: bool, annual: Decimal | None, monthly, values) -> list[Judgement]:
    """Judge the twelve months of a year: MONTHLY the twelve budgets and VALUES the twelve values (None where
    missing). A month with a value but nothing to compare with is not breached (compared_with None)."""
    budgets = effective_budgets(monthly, values, carry_over and rule in CARRY_OVER_RULES)
    result, ytd = [], None
    for index, (value, budget) in enumerate(zip(values, budgets)):
        month = index + 1
        if value is not None:
            ytd = value if ytd is None else ytd + value
        compared, measured, breached = None, None, False
        if value is not None:
            if rule in ("above_target", "below_target") and annual is not None:
                compared, measured = annual, value
                breached = value > annual if rule == "above_target" else value < annual
            elif rule in ("above_budget", "below_budget") and budget is not None:
                compared, measured = budget, value
                breached = value > budget if rule == "above_budget" else value < budget
            elif rule == "behind_progress" and annual is not None:
                compared, measured = progress_target(annual, month), ytd
                # Exactly: ytd < annual × month ÷ 12, without the rounding of the figure shown.
                breached = ytd * 12 < annual * month
        variance = None if compared is None else measured - compared
        result.append(Judgement(month, value, ytd if value is not None else None, budget, compared, variance,
                                breached))
    return result


def completion(actual: Decimal | None, planned: Decimal | None) -> Decimal | None:
    """ACTUAL as a percentage of PLANNED, to two places (None when there is no positive plan)."""
    if actual is None or planned is None or planned <= 0:
        return None
    return (actual * 100 / planned).quantize(Decimal("0.01"), ROUND_HALF_UP)


# Amounts: the units' figures add up to the company's. Rates, turns and days add up neither over the months
# nor over the units.
AMOUNT_MEASURES = ("万元", "元")
RATE_MEASURES = ("%", "次", "天")


def adds_up(measure: str | None) -> bool:
    """True when a figure in MEASURE adds up over the months (an amount), so that its year to date means
    something; a rate, a number of turns or of days does not."""
    return (measure or "") not in RATE_MEASURES


@dataclass(frozen=True)
class PlanProgress:
    """A sales plan line at the end of a month (销售业绩进展): the month's value and budget, the year to date
    and its budget, the annual target, and each completion %. A figure that cannot be known is None."""

    month_value: Decimal | None
    month_budget: Decimal | None
    month_completion: Decimal | None
    ytd_value: Decimal | None
    ytd_budget: Decimal | None
    ytd_completion: Decimal | None
    annual: Decimal | None
    year_completion: Decimal | None


def _progress(month_value, month_budget, ytd_value, ytd_budget, annual) -> PlanProgress:
    return PlanProgress(month_value, month_budget, completion(month_value, month_budget), ytd_value, ytd_budget,
                        completion(ytd_value, ytd_budget), annual, completion(ytd_value, annual))


def _sum(figures) -> Decimal | None:
    present = [f for f in figures if f is not None]
    return sum(present, ZERO) if present else None


def reference(rule: str, annual: Decimal | None, judgement: Judgement) -> Decimal | None:
    """The figure RULE holds a month against, whether or not the month has a value (a trend chart's line)."""
    if judgement.compared_with is not None:
        return judgement.compared_with
    if rule in ("above_budget", "below_budget"):
        return judgement.effective_budget
    if annual is None:
        return None
    return progress_target(annual, judgement.month) if rule == "behind_progress" else annual


def plan_progress(month: int, annual: Decimal | None, monthly, values, additive: bool = True) -> PlanProgress:
    """A plan line at the end of MONTH from its ANNUAL target, its twelve MONTHLY budgets and its twelve VALUES
    (None where missing). The year to date sums the values reported so far; its budget sums the monthly budgets
    to MONTH when each of them exists, else it is the target's time progress (annual × month ÷ 12); a month
    without its budget is budgeted at annual ÷ 12. A rate (not ADDITIVE: see RATE_MEASURES) does not add up
    over months: the month is compared with its budget or else the annual target, the year with the annual
    target, and there is no year to date."""
    value, budget = values[month - 1], monthly[month - 1]
    if not additive:
        budget = budget if budget is not None else annual
        return PlanProgress(value, budget, completion(value, budget), None, None, None, annual,
                            completion(value, annual))
    if budget is None and annual is not None:
        budget = progress_target(annual, 1)
    budgets = monthly[:month]
    ytd_budget = sum(budgets, ZERO) if all(b is not None for b in budgets) else (
        None if annual is None else progress_target(annual, month))
    return _progress(value, budget, _sum(values[:month]), ytd_budget, annual)


def plan_total(lines) -> PlanProgress:
    """The company's line as the sum of the units' LINES (amounts only): each figure is the sum of the units'
    that have it, and the completions are those of the sums."""
    lines = list(lines)
    return _progress(*(_sum(getattr(line, name) for line in lines)
                       for name in ("month_value", "month_budget", "ytd_value", "ytd_budget", "annual")))
