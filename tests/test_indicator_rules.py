"""The five budget-warning rules and the carry-over chain, as pure arithmetic on decimals."""
from decimal import Decimal as D

from riskflow.indicators import rules

NONE12 = [None] * 12


def months(**values):
    """Twelve values from keyword months m1..m12."""
    return [values.get(f"m{m}") for m in range(1, 13)]


def test_above_and_below_target_compare_each_month_with_the_annual_target_and_equal_never_warns():
    above = rules.judge_year("above_target", False, D("60"), NONE12, months(m1=D("60"), m2=D("60.0001"), m3=D("59")))
    assert [(j.compared_with, j.variance, j.breached) for j in above[:3]] == [
        (D("60"), D("0"), False), (D("60"), D("0.0001"), True), (D("60"), D("-1"), False)]
    below = rules.judge_year("below_target", False, D("95"), NONE12, months(m1=D("95"), m2=D("94.9")))
    assert [(j.variance, j.breached) for j in below[:2]] == [(D("0"), False), (D("-0.1"), True)]
    # A month without a value is not judged; a year without a target compares with nothing.
    assert below[2] == rules.Judgement(3, None, None, None, None, None, False)
    assert rules.judge_year("below_target", False, None, NONE12, months(m1=D("1")))[0].compared_with is None


def test_below_budget_compares_with_the_months_budget():
    budgets = [D(100)] * 6 + [None] * 6
    judged = rules.judge_year("below_budget", False, D("1200"), budgets, months(m1=D("99.5"), m2=D("100"), m7=D("5")))
    assert [(j.compared_with, j.variance, j.breached) for j in judged[:2]] == [(D(100), D("-0.5"), True),
                                                                           (D(100), D(0), False)]
    # July has no budget: nothing to compare with, no warning.
    assert (judged[6].compared_with, judged[6].breached) == (None, False)


def test_behind_progress_compares_the_year_to_date_with_the_annual_target_times_month_over_twelve():
    # Annual 1000: progress targets 83.3333, 166.6667, 250 …
    judged = rules.judge_year("behind_progress", False, D("1000"), NONE12,
                              months(m1=D("83"), m2=D("84"), m3=D("83"), m4=D("90")))
    assert [(j.ytd, j.compared_with, j.variance, j.breached) for j in judged[:4]] == [
        (D("83"), D("83.3333"), D("-0.3333"), True),
        (D("167"), D("166.6667"), D("0.3333"), False),
        (D("250"), D("250.0000"), D("0"), False),  # exactly on progress: not behind
        (D("340"), D("333.3333"), D("6.6667"), False)]
    # Exactly: 83.33333… is behind 1000/12 by a third of a ten-thousandth though the figure shown rounds to it.
    assert rules.judge_year("behind_progress", False, D("1000"), NONE12, months(m1=D("83.3333")))[0].breached is True
    # A missing month adds nothing to the year to date.
    gap = rules.judge_year("behind_progress", False, D("1200"), NONE12, months(m1=D("100"), m3=D("150")))
    assert (gap[2].ytd, gap[2].compared_with, gap[2].breached) == (D("250"), D("300.0000"), True)


def test_carry_over_deducts_each_overrun_from_the_next_months_budget_never_below_zero():
    budgets = [D(100)] * 12
    values = months(m1=D(130), m2=D(50), m3=D(180), m4=D(10), m5=D(120))
    effective = rules.effective_budgets(budgets, values, True)
    # Jan 100 (overrun 30) → Feb 70 (no overrun) → Mar 100 (overrun 80) → Apr 20 (no overrun) → May 100 (overrun
    # 20) → Jun 80 → Jul 100: June has no value, so it carries nothing.
    assert effective[:7] == [D(100), D(70), D(100), D(20), D(100), D(80), D(100)]
    judged = rules.judge_year("above_budget", True, None, budgets, values)
    assert [(j.compared_with, j.variance, j.breached) for j in judged[:5]] == [
        (D(100), D(30), True), (D(70), D(-20), False), (D(100), D(80), True), (D(20), D(-10), False),
        (D(100), D(20), True)]
    # An overrun larger than the next budget leaves zero, never a negative budget; spending against a zero
    # budget is an overrun again.
    assert rules.effective_budgets([D(100), D(50), D(100)] + [None] * 9, months(m1=D(300), m2=D(10)), True)[:3] == [
        D(100), D(0), D(90)]
    # Without carry_over every month keeps its budget.
    assert rules.effective_budgets(budgets, values, False) == budgets


def test_january_has_no_carry_in_and_a_month_without_budget_carries_nothing():
    effective = rules.effective_budgets([D(100), None, D(100)] + [D(100)] * 9, months(m1=D(150), m2=D(10)), True)
    assert effective[:3] == [D(100), None, D(100)]


def test_completion_is_a_percentage_to_two_places():
    assert rules.completion(D("10297"), D("10000")) == D("102.97")
    assert rules.completion(D("1"), D("3")) == D("33.33")
    assert rules.completion(D("1"), D("0")) is None and rules.completion(None, D("5")) is None
