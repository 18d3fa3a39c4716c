"""The monthly report's 销售业绩进展 (the sales plan against budget and time progress) and its indicator
section (every breach with its rule, compared figure, variance and the unit's explanation), read back from
the PDF."""
import re
from decimal import Decimal

import pytest

from riskflow.indicators import rules
from test_reports import pdf_text

D = Decimal


def indicator(company, code, name, unit, rule, plan=None, measure="万元", annual=None, monthly=None, values=(),
              api=None, **extra):
    """An indicator with its 2026 targets and its values from January on, recorded by API (the unit's officer)."""
    body = {"code": code, "name": name, "rule": rule, "measure": measure, **extra}
    if unit:
        body["unit"] = unit
    if plan:
        body["plan"] = plan
    created = company.manager.post("/indicators", body)
    assert created.status_code == 201, created.get_json()
    created = created.get_json()
    put = company.manager.put(f"/indicators/{created['id']}/targets/2026",
                              {"annual": annual, "monthly": monthly or [None] * 12})
    assert put.status_code == 200, put.get_json()
    for month, value in enumerate(values, 1):
        if value is not None:
            posted = (api or company.manager).post(f"/indicators/{created['id']}/values",
                                                   {"period": f"2026-{month:02d}", "value": value})
            assert posted.status_code == 201, posted.get_json()
    return created


def answer(api, code, period, **fields):
    found = [w for w in api.get(f"/warnings?period={period}").get_json()["items"] if w["code"] == code]
    assert len(found) == 1, found
    response = api.patch(f"/warnings/{found[0]['id']}", fields)
    assert response.status_code == 200, response.get_json()


def sales_company(company):
    """Two units' revenue (BJ against monthly budgets, SH against its annual target only), a company-wide profit
    and BJ's, BJ's collection rate (a % measure) linked to a risk, BJ's selling expense over budget."""
    bj, sh = company.officer_bj, company.officer_sh
    indicator(company, "BJ-SR", "销售收入", "BJ", "below_budget", "revenue", annual=1200, monthly=[100] * 12,
              values=[110, 90, 105, 100, 95, 120], api=bj)
    indicator(company, "SH-SR", "销售收入", "SH", "below_budget", "revenue", annual=600,
              values=[40, 50, 60, 45, 55, 56.73], api=sh)
    indicator(company, "CO-LR", "利润总额", None, "behind_progress", "profit", annual=240,
              values=[20, 20, 20, 20, 20, 15])
    indicator(company, "BJ-LR", "利润", "BJ", "below_budget", "profit", annual=120, monthly=[10] * 12,
              values=[10, 10, 10, 10, 10, 12], api=bj)
    risk = company.risk("货款回收风险", unit="BJ")
    indicator(company, "BJ-HK", "货款回收率", "BJ", "below_target", "collection", measure="%", annual=95,
              values=[96, 97, 95, 96, 95, 93], api=bj, risk_id=risk["id"])
    indicator(company, "BJ-XF", "销售费用", "BJ", "above_budget", measure="万元", annual=360, monthly=[30] * 12,
              values=[None, None, None, None, 30, 35], api=bj, carry_over=True)
    answer(bj, "BJ-XF", "2026-06", cause="internal", explanation="促销活动集中支出")
    answer(company.manager, "CO-LR", "2026-06", cause="external", explanation="原料价格上涨")


def monthly_text(company, period="2026-06") -> str:
    made = company.manager.post("/reports", {"kind": "monthly", "period": period})
    assert made.status_code == 201, made.get_json()
    pdf = company.manager.get(made.get_json()["download_url"][len("/api/v1"):])
    assert pdf.status_code == 200
    return pdf_text(pdf.data)


def section(text, start, end):
    """The text from START to END with its whitespace as single spaces (table cells come out a line each),
    without the page footers a page break puts in between."""
    return " ".join(re.sub(r"\S*风险评估及风险预警应对 · \d+", " ", text[text.index(start):text.index(end)]).split())


def packed(*cells) -> str:
    """Cells as they read with no whitespace at all (a table's narrow cells wrap anywhere)."""
    return "".join("".join(str(cell).split()) for cell in cells)


def test_plan_progress_sums_budgets_to_the_month_or_takes_time_progress():
    twelve = lambda *head: list(head) + [None] * (12 - len(head))  # noqa: E731
    budgeted = rules.plan_progress(3, D(1200), [D(100)] * 12, twelve(D(110), D(90), D(105)))
    assert budgeted == rules.PlanProgress(D(105), D(100), D("105.00"), D(305), D(300), D("101.67"), D(1200),
                                          D("25.42"))
    # A month without its budget: annual ÷ 12 for the month, annual × 3 ÷ 12 to date.
    annual_only = rules.plan_progress(3, D(600), twelve(D(50), D(50)), twelve(D(40), D(50), D(60)))
    assert annual_only == rules.PlanProgress(D(60), D(50), D("120.00"), D(150), D(150), D("100.00"), D(600),
                                             D("25.00"))
    rate = rules.plan_progress(2, D(95), [None] * 12, twelve(D(96), D(93)), additive=False)
    assert rate == rules.PlanProgress(D(93), D(95), D("97.89"), None, None, None, D(95), D("97.89"))
    assert rules.plan_total([budgeted, annual_only]) == rules.PlanProgress(
        D(165), D(150), D("110.00"), D(455), D(450), D("101.11"), D(1800), D("25.28"))
    # Nothing reported yet, no positive plan: no completion.
    empty = rules.plan_progress(1, None, [D(0)] + [None] * 11, [None] * 12)
    assert (empty.month_value, empty.month_completion, empty.ytd_budget, empty.ytd_completion) == (
        None, None, D(0), None)


def test_the_sales_plan_progress_by_unit_and_for_the_company(company):
    sales_company(company)
    text = monthly_text(company)
    plan = section(text, "二、销售业绩进展", "三、风险热力图")
    assert "1–6月累计完成销售计划的102.97%。" in plan
    assert "销售收入（万元）" in plan
    # unit: month, budget, %, year to date, its budget, %, annual target, %
    assert "北京销售分公司 120 100 120.00% 620 600 103.33% 1,200 51.67%" in plan
    assert "上海销售分公司 56.73 50 113.46% 306.73 300 102.24% 600 51.12%" in plan
    # The company's revenue is the sum of the units' (no company-wide revenue indicator).
    assert "全公司 176.73 150 117.82% 926.73 900 102.97% 1,800 51.49%" in plan
    # The company's profit is its own indicator's, not the sum with BJ's.
    assert "北京销售分公司 12 10 120.00% 62 60 103.33% 120 51.67%" in plan
    assert "全公司 15 20 75.00% 115 120 95.83% 240 47.92%" in plan
    # A rate: compared with the annual target, no year to date; the company has no rate of its own. Its table
    # does not call the annual target the month's budget.
    rate_table = plan[plan.index("货款回收（%）"):]
    assert "目标或预算" in rate_table and "月度预算值" not in rate_table
    assert "月度预算值" in plan[:plan.index("货款回收（%）")]
    assert "北京销售分公司 93 95 97.89% — — — 95 97.89%" in plan
    assert "全公司 — — — — — — — —" in plan


def test_every_breach_with_its_rule_figure_variance_and_explanation(company):
    sales_company(company)
    text = monthly_text(company)
    breaches = packed(section(text, "七、预算指标预警", "八、各单位评估完成情况"))
    assert packed("指标 单位 预警规则 对比值 指标值 差异 计量单位 关联风险 原因及说明") in breaches
    rows = [
        # a % indicator linked to a risk, unanswered
        ("BJ-HK 货款回收率", "北京销售分公司", "低于年度目标值", "年度目标值 95", "93", "-2", "%", "BJ-001", "未说明"),
        # an expense over its (carried-over) budget, answered by the unit
        ("BJ-XF 销售费用", "北京销售分公司", "高于月度预算值", "实际预算（冲减后） 30", "35", "+5", "万元", "—",
         "内部可控：促销活动集中支出"),
        # the company's profit behind time progress: the year to date against annual × 6 ÷ 12
        ("CO-LR 利润总额", "全公司", "累计值低于年度目标序时进度", "序时进度目标 120", "累计 115", "-5", "万元", "—",
         "外部因素：原料价格上涨"),
    ]
    positions = [breaches.index(packed(*row)) for row in rows]
    assert positions == sorted(positions)  # by code
    # Revenue met its budget in June and SH's has no monthly budget to miss: not listed.
    assert "BJ-SR" not in breaches and "SH-SR" not in breaches


def test_a_month_without_plan_indicators_or_breaches_says_none(company):
    risk = company.risk("价格风险", unit="BJ")
    company.grade(risk["id"], "2026-06", 2, 2)
    text = monthly_text(company)
    assert section(text, "二、销售业绩进展", "三、风险热力图") == "二、销售业绩进展 无"
    assert section(text, "七、预算指标预警", "八、各单位评估完成情况").startswith("七、预算指标预警 无")


def test_the_report_reads_the_breaches_and_the_plan_without_a_query_per_row(app, company):
    from test_statement_counts import statements_for

    from riskflow.db import get_session
    from riskflow.reports import collect

    def collect_june():
        with app.app_context():
            data = collect.monthly(get_session(), "2026-06")
            return len(data.breaches), len(data.plan)

    def breaches(first, last):
        for n in range(first, last):
            unit = "BJ" if n % 2 else "SH"
            indicator(company, f"{unit}-K{n}", f"指标{n}", unit, "below_target", "revenue" if n < 4 else None,
                      annual=100, values=[90] * 6, api=company.officer_bj if unit == "BJ" else company.officer_sh)

    breaches(0, 2)
    small = statements_for(app, collect_june)
    breaches(2, 12)
    large = statements_for(app, collect_june)
    with app.app_context():
        assert len(collect.monthly(get_session(), "2026-06").breaches) == 12
    assert large == small, (small, large)


def test_each_breached_indicator_has_its_24_month_chart(app, company):
    from riskflow.db import get_session
    from riskflow.reports import collect

    sales_company(company)
    with app.app_context():
        rows = {b.indicator.code: b for b in collect.monthly(get_session(), "2026-06").breaches}
    expense, profit = rows["BJ-XF"].history, rows["CO-LR"].history
    assert [h["period"] for h in expense][::23] == ["2024-07", "2026-06"]
    assert [(h["value"], h["reference"], h["breached"]) for h in expense[-3:]] == [
        (None, D(30), False), (D(30), D(30), False), (D(35), D(30), True)]
    # Time progress: the year to date against annual × month ÷ 12, also drawn where no value was reported.
    assert [(h["ytd"], h["reference"], h["breached"]) for h in profit[-2:]] == [
        (D(100), D(100), False), (D(115), D(120), True)]
    assert profit[0]["reference"] is None  # no 2024 target
    text = monthly_text(company)
    trends = section(text, "预警指标近24个月走势", "八、各单位评估完成情况")
    titles = [trends.index(title) for title in ("BJ-HK 货款回收率", "BJ-XF 销售费用", "CO-LR 利润总额")]
    assert titles == sorted(titles)
    # Each chart's months, its legend (the value, what the rule compares with) and the breached month's mark.
    assert trends.count("2024-07") == 3 and trends.count("2026-06") == 3 and trends.count("触发预警") == 3
    for legend in ("指标值 年度目标值", "指标值 实际预算（冲减后）", "累计值 序时进度目标"):
        assert legend in trends
