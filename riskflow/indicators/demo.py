"""Demo budget indicators: for each sales unit a year of budgets and values of the budget system's indicators
(单项指标预警, 成本费用指标预警), a few company-wide ones, and the units' answers to some of the breaches.

The figures are made first as plain data (`figures`, deterministic for a list of months), then entered through
the services as finance and the units would: targets by the risk manager, values month by month by each
indicator's owner, explanations by the unit head."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .. import periods
from ..auth.service import user_by_name
from ..register import warnings
from ..register.models import Risk, RiskWarning
from . import rules, service
from .models import Indicator

SEED = 20261206
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
# Oil products sell least around the Spring Festival and most in the summer and the autumn harvest (a year: 12).
SEASON = (0.94, 0.78, 0.97, 1.00, 1.02, 1.02, 1.05, 1.06, 1.04, 1.08, 1.03, 1.01)
# Operating cash comes in slowly around the Spring Festival, then with the quarters' collection drives.
CASH_SEASON = (0.80, 0.75, 1.05, 1.05, 1.05, 1.10, 1.00, 1.00, 1.05, 1.05, 1.05, 1.05)
# Each unit's annual sales (万元), how its profit and cash run against the year's targets (1: exactly on
# plan; the slow first months leave every unit behind the time progress for a while), and the indicators it
# struggles with.
UNITS = {
    "BJ": (186_000, 1.05, ("SELLING", "COLLECT")),
    "SH": (232_000, 1.04, ("ADMIN", "TURNOVER")),
    "GD": (268_000, 1.07, ("REVENUE", "NET-PROFIT")),
    "SC": (124_000, 1.01, ("COLLECT", "TURNOVER")),
    "HB": (152_000, 1.02, ("FINANCE", "SELLING")),
}
BASE_MISS, WEAK_MISS = 0.12, 0.40
COLLECTION_TARGET, TURNOVER_TARGET, DEBT_RATIO_TARGET = Decimal(96), Decimal(12), Decimal(62)
# suffix, name, measure, rule, carry_over, plan line
UNIT_INDICATORS = (
    ("REVENUE", "销售收入", "万元", "below_budget", False, "revenue"),
    ("NET-PROFIT", "净利润", "万元", "below_budget", False, "profit"),
    ("SELLING", "销售费用", "万元", "above_budget", True, None),
    ("ADMIN", "管理费用", "万元", "above_budget", True, None),
    ("FINANCE", "财务费用", "万元", "above_budget", True, None),
    ("COLLECT", "货款回收率", "%", "below_target", False, "collection"),
    ("TURNOVER", "应收账款周转次数", "次", "below_target", False, None),
    ("PROFIT-YTD", "利润总额", "万元", "behind_progress", False, None),
    ("CASH-FLOW", "经营活动现金净流量", "万元", "behind_progress", False, None),
)
COMPANY_INDICATORS = (
    ("CO-REVENUE", "公司销售收入", "万元", "below_budget", "revenue"),
    ("CO-NET-PROFIT", "公司净利润", "万元", "below_budget", "profit"),
    ("CO-COLLECT", "公司货款回收率", "%", "below_target", "collection"),
    ("CO-DEBT-RATIO", "资产负债率", "%", "above_target", None),
)
# The collection rate warns on the unit's receivables risk (the others, linked to no risk, on themselves).
RECEIVABLES_RISK = "大客户货款回收逾期"

# What a unit head writes about a miss: by indicator, (cause, explanation) choices and responses.
EXPLANATIONS = {
    "REVENUE": ((("external", "区域市场需求下滑，民营批发商低价竞争，当月销量低于预算"),
                 ("internal", "重点客户开发进度滞后，直销比例下降")),
                ("加大重点客户走访力度，落实月度增量计划", "调整价格策略，巩固直销渠道")),
    "NET-PROFIT": ((("external", "国际油价波动，进销价差收窄，毛利下降"),
                    ("internal", "促销让利幅度偏大，单位毛利低于预算")),
                   ("严控促销让利，优化资源配置，提高高毛利产品比例", "按周测算边际效益，择机推价")),
    "SELLING": ((("internal", "集中支付广告及促销费用，超出当月预算"),
                 ("external", "运价上调，运输费用增加")),
                ("超支部分已冲减次月预算，严控非必要支出", "优化车辆调度，压降单位运费")),
    "ADMIN": ((("internal", "办公及差旅费用集中报销"),
               ("internal", "信息系统运维费用提前支付")),
              ("超支部分已冲减次月预算，从严审批差旅和会议费用", "压缩办公费用，按月通报费用执行情况")),
    "FINANCE": ((("external", "贷款利率上调，利息支出增加"),
                 ("internal", "资金占用偏高，短期借款增加")),
                ("超支部分已冲减次月预算，加快资金周转，压降有息负债", "优化贷款结构，减少票据贴现")),
    "COLLECT": ((("external", "大客户资金紧张，回款延迟"),
                 ("internal", "赊销审批不严，催收不及时")),
                ("逐户制定清欠计划，落实催收责任人", "压缩赊销额度，对逾期客户暂停供货")),
    "TURNOVER": ((("internal", "应收账款余额偏高，回款周期拉长"),
                  ("external", "下游客户普遍延长付款周期")),
                 ("开展应收账款专项清理，按周通报回款进度", "调整信用政策，缩短赊销期限")),
    "PROFIT-YTD": ((("external", "市场价格低迷，累计利润落后于序时进度"),
                    ("internal", "费用控制不力，累计利润落后于序时进度")),
                   ("分解剩余月份利润目标，逐月跟踪落实", "挖潜增效，确保完成全年利润目标")),
    "CASH-FLOW": ((("external", "客户回款集中在季末，经营活动现金流入偏少"),
                   ("internal", "预付采购款增加，经营活动现金流出偏多")),
                  ("加强资金计划管理，按周平衡收支", "加快货款回收，控制预付款规模")),
}
COMPANY_EXPLANATIONS = ((("external", "各分公司销量普遍低于预算，市场需求偏弱"),
                         ("internal", "个别分公司费用超支、回款滞后，影响公司整体指标")),
                        ("督促相关分公司落实整改，按月通报", "召开经营分析会，调整下月经营计划"))


@dataclass
class Series:
    """One demo indicator: its definition, each year's targets, and its monthly values."""

    code: str
    name: str
    unit: str | None
    measure: str
    rule: str
    carry_over: bool = False
    plan: str | None = None
    targets: dict[int, tuple[Decimal, list[Decimal | None]]] = field(default_factory=dict)
    values: dict[str, Decimal] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """The indicator's suffix (REVENUE, SELLING, …) for a unit's, its code for a company-wide one."""
        return self.code.split("-", 1)[1] if self.unit else self.code


def _money(x) -> Decimal:
    return Decimal(x).quantize(CENT, ROUND_HALF_UP)


def _round(x, step: int) -> Decimal:
    """X to a whole multiple of STEP (budgets are planned in round figures)."""
    return Decimal(round(x / step) * step)


def demo_periods(months: list[str]) -> list[str]:
    """The months that get values: from the January of the first demo month's year (the year to date needs
    its earlier months) to the last demo month."""
    return periods.span(f"{months[0][:4]}-01", months[-1])


def figures(months: list[str]) -> list[Series]:
    """Every demo indicator with its targets and values for MONTHS (deterministic: a seeded generator)."""
    rng = random.Random(SEED)
    span = demo_periods(months)
    years = sorted({int(p[:4]) for p in span})
    made: list[Series] = []
    by_unit: dict[str, dict[str, Series]] = {}
    for unit, (sales, pace, weak) in UNITS.items():
        series = {suffix: Series(f"{unit}-{suffix}", name, unit, measure, rule, carry, plan)
                  for suffix, name, measure, rule, carry, plan in UNIT_INDICATORS}
        by_unit[unit] = series
        made.extend(series.values())
        miss = {suffix: WEAK_MISS if suffix in weak else BASE_MISS for suffix in series}
        for year in years:
            grown = sales * (1 + 0.06 * (year - years[-1]))  # last year's plan was smaller
            budgets = {
                "REVENUE": [_round(grown * s / 12, 10) for s in SEASON],
                "NET-PROFIT": [_round(grown * 0.024 * s / 12, 1) for s in SEASON],
                "SELLING": [_round(grown * 0.011 * (0.6 + 0.4 * s) / 12, 1) for s in SEASON],
                "ADMIN": [_round(grown * 0.0045 / 12 * (1.25 if m == 12 else 1), 1) for m in range(1, 13)],
                "FINANCE": [_round(grown * 0.0018 / 12, 1)] * 12,
            }
            for suffix, monthly in budgets.items():
                series[suffix].targets[year] = (sum(monthly), monthly)
            blank = [None] * 12
            series["COLLECT"].targets[year] = (COLLECTION_TARGET, blank)
            series["TURNOVER"].targets[year] = (TURNOVER_TARGET, blank)
            series["PROFIT-YTD"].targets[year] = (_round(grown * 0.032, 100), blank)
            series["CASH-FLOW"].targets[year] = (_round(grown * 0.02, 100), blank)
        for period in span:
            year, month = int(period[:4]), int(period[5:])
            revenue_missed = False
            for suffix, one in series.items():
                annual, monthly = one.targets[year]
                missed = rng.random() < (0.6 if suffix == "NET-PROFIT" and revenue_missed else miss[suffix])
                if one.rule == "below_budget":
                    budget = monthly[month - 1]
                    factor = rng.uniform(0.90, 0.99) if missed else rng.uniform(1.002, 1.06)
                    revenue_missed = revenue_missed or (suffix == "REVENUE" and missed)
                    one.values[period] = _money(budget * Decimal(factor))
                elif one.rule == "above_budget":
                    so_far = [one.values.get(f"{year:04d}-{m:02d}") for m in range(1, 13)]
                    effective = rules.effective_budgets(monthly, so_far, True)[month - 1]
                    factor = rng.uniform(1.02, 1.14) if missed else rng.uniform(0.82, 0.99)
                    one.values[period] = _money(effective * Decimal(factor))
                elif suffix == "COLLECT":
                    drawn = rng.uniform(90.5, 95.8) if missed else rng.uniform(96.0, 99.8)
                    one.values[period] = Decimal(drawn).quantize(TENTH, ROUND_HALF_UP)
                elif suffix == "TURNOVER":
                    drawn = rng.uniform(10.2, 11.9) if missed else rng.uniform(12.0, 14.6)
                    one.values[period] = _money(drawn)
                else:  # the year to date against time progress: the month's own figure, as the business went
                    # Cash runs a little ahead of profit (depreciation, the collection drives).
                    season, ahead = (CASH_SEASON, 0.03) if suffix == "CASH-FLOW" else (SEASON, 0)
                    drawn = season[month - 1] * (pace + ahead) * rng.uniform(0.88, 1.12)
                    one.values[period] = _money(annual * Decimal(drawn) / 12)
    made.extend(_company(rng, by_unit, span, years))
    return made


def _company(rng, by_unit, span, years) -> list[Series]:
    """The company-wide indicators: the units' sums (the collection rate weighted by sales) and the debt ratio."""
    made = {code: Series(code, name, None, measure, rule, False, plan)
            for code, name, measure, rule, plan in COMPANY_INDICATORS}
    units = list(by_unit.values())
    for year in years:
        for code, suffix in (("CO-REVENUE", "REVENUE"), ("CO-NET-PROFIT", "NET-PROFIT")):
            monthly = [sum(u[suffix].targets[year][1][m] for u in units) for m in range(12)]
            made[code].targets[year] = (sum(monthly), monthly)
        made["CO-COLLECT"].targets[year] = (COLLECTION_TARGET, [None] * 12)
        made["CO-DEBT-RATIO"].targets[year] = (DEBT_RATIO_TARGET, [None] * 12)
    for period in span:
        made["CO-REVENUE"].values[period] = sum(u["REVENUE"].values[period] for u in units)
        made["CO-NET-PROFIT"].values[period] = sum(u["NET-PROFIT"].values[period] for u in units)
        sales = made["CO-REVENUE"].values[period]
        weighted = sum(u["COLLECT"].values[period] * u["REVENUE"].values[period] for u in units) / sales
        made["CO-COLLECT"].values[period] = weighted.quantize(TENTH, ROUND_HALF_UP)
        # The debt ratio rises with the short-term loans of the busy months.
        ratio = 60 + 15 * (SEASON[int(period[5:]) - 1] - 1) + rng.uniform(-1.0, 1.6)
        made["CO-DEBT-RATIO"].values[period] = Decimal(ratio).quantize(TENTH, ROUND_HALF_UP)
    return list(made.values())


def load(session: Session, months: list[str]) -> None:
    """Define the demo indicators, set their targets, record their values for MONTHS (and the earlier months
    of the first one's year) and answer part of the warnings their breaches raise."""
    manager = user_by_name(session, "manager")
    made = figures(months)
    defined: list[tuple[Indicator, Series, object]] = []
    for one in made:
        officer = user_by_name(session, f"officer_{one.unit.lower()}") if one.unit else None
        data = {"code": one.code, "name": one.name, "unit": one.unit, "measure": one.measure, "rule": one.rule,
                "carry_over": one.carry_over, "plan": one.plan, "owner": officer.username if officer else None}
        if one.kind == "COLLECT" and one.unit:
            data["risk_id"] = session.scalar(select(Risk.id).join(Risk.unit).where(
                Risk.title == RECEIVABLES_RISK, Risk.unit.has(code=one.unit)))
        indicator = service.create(session, manager, data)
        for year, (annual, monthly) in sorted(one.targets.items()):
            service.store_targets(session, manager, indicator, year, annual, monthly)
        defined.append((indicator, one, officer or manager))
    for indicator, one, reporter in defined:
        service.store_values(session, reporter, indicator, one.values)
    _answer(session, months, {ind.id: one for ind, one, _ in defined}, manager)


def _answer(session: Session, months: list[str], series: dict[int, Series], manager) -> None:
    """The unit heads explain most of the older breaches and some of the recent ones; the risk manager answers
    the company's and confirms the responses reported complete."""
    rng = random.Random(SEED + 1)
    heads = {unit: user_by_name(session, f"head_{unit.lower()}") for unit in UNITS}
    last = months[-1]
    stmt = warnings.joined(select(RiskWarning)).where(
        or_(RiskWarning.indicator_id.is_not(None), RiskWarning.reason == "indicator"),
        RiskWarning.response == "").order_by(RiskWarning.period, warnings.CODE)
    for warning in session.scalars(stmt).all():
        indicator = warning.indicator or session.scalar(select(Indicator).where(Indicator.risk_id == warning.risk_id))
        one = series[indicator.id]
        age = (int(last[:4]) * 12 + int(last[5:])) - (int(warning.period[:4]) * 12 + int(warning.period[5:]))
        if rng.random() >= (0.35 if age == 0 else 0.65 if age == 1 else 0.9):
            continue
        causes, responses = EXPLANATIONS[one.kind] if one.unit else COMPANY_EXPLANATIONS
        cause, explanation = rng.choice(causes)
        progress = rng.choice((0, 20, 40) if age == 0 else (40, 60, 80, 100) if age == 1 else (80, 100, 100, 100))
        who = heads[one.unit] if one.unit else manager
        warnings.update(session, who, warning.id, {
            "cause": cause, "explanation": explanation, "response": rng.choice(responses), "progress": progress,
            "status": "in_progress" if progress else "open"})
        if progress == 100 and rng.random() < 0.8:  # the unit reports it complete; the risk manager confirms it
            warnings.update(session, manager, warning.id, {"status": "done"})
