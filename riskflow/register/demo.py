"""Demo register: 150 risks in five sales units, twelve months of moving grades, warnings; then the budget
indicators (riskflow/indicators/demo.py)."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from .. import periods
from ..auth import policy
from ..auth.service import user_by_name
from ..indicators import demo as indicator_demo
from . import assessments, risks, rounds, warnings
from .models import Assessment

# (category, title, typical likelihood, typical impact)
RISK_TEMPLATES = (
    ("policy", "成品油定价机制调整影响销售毛利", 3, 4),
    ("policy", "税收政策变化增加销售环节税负", 2, 3),
    ("policy", "环保限产政策影响终端需求", 3, 3),
    ("receivables", "大客户货款回收逾期", 4, 4),
    ("receivables", "赊销额度超限形成坏账", 3, 4),
    ("receivables", "应收账款对账不及时", 3, 2),
    ("demand", "区域市场需求下滑", 3, 4),
    ("demand", "季节性需求波动导致库存积压", 4, 2),
    ("demand", "重点行业客户采购量减少", 3, 3),
    ("competition", "民营批发商低价竞争", 4, 3),
    ("competition", "竞争对手新建加油站分流客户", 3, 3),
    ("competition", "大客户被竞争对手争夺", 2, 4),
    ("price", "国际油价大幅波动", 4, 4),
    ("price", "价格倒挂造成销售亏损", 2, 4),
    ("price", "推价不及时错失价格窗口", 3, 2),
    ("capacity", "铁路运力不足影响出厂销售", 3, 4),
    ("capacity", "装车能力不足造成后路不畅", 2, 3),
    ("capacity", "油库储存能力不足", 2, 3),
    ("capacity", "运输车辆安全事故", 1, 5),
    ("capacity", "销售信息系统故障", 2, 3),
    ("contracts", "合同条款不完善引发纠纷", 2, 3),
    ("contracts", "合同履约监控不到位", 3, 2),
    ("contracts", "框架协议价格条款失效", 2, 3),
    ("compliance", "销售票据管理不规范", 2, 2),
    ("compliance", "业务招待费超标使用", 2, 2),
    ("compliance", "计量器具未按期检定", 2, 3),
    ("compliance", "客户资质审核不严", 3, 3),
    ("financial", "销售费用超预算", 3, 2),
    ("strategic", "销售网络布局滞后于市场变化", 2, 4),
    ("operational", "关键岗位人员流失", 2, 3),
)
SALES_UNITS = ("BJ", "SH", "GD", "SC", "HB")
RATIONALES = ("按月度评估标准复核", "本月市场情况变化", "控制措施已落实，情况好转", "客户经营状况恶化",
              "上级政策调整带来新的不确定性", "与上月持平")
RESPONSES = ("成立专项小组，每周跟踪", "加强客户信用评估，压缩赊销额度", "调整销售策略，稳定重点客户",
             "协调铁路部门增加运力", "完善合同审核流程")


def _clamp(value: int) -> int:
    return max(1, min(5, value))


def load(session: Session) -> None:
    """Add the demo register to a company whose units and users exist."""
    rng = random.Random(20261122)
    manager = user_by_name(session, "manager")
    this_month = periods.current()
    months = [periods.shift(this_month, -n) for n in range(12, 0, -1)]
    by_unit = {}
    for unit in SALES_UNITS:
        officer = user_by_name(session, f"officer_{unit.lower()}")
        created = []
        for category, title, base_l, base_i in RISK_TEMPLATES:
            risk = risks.create(session, officer, {
                "title": title, "category": category, "unit": unit, "owner": officer.display_name,
                "response_strategy": rng.choice(("reduce", "reduce", "share", "avoid", "accept")),
                "causes": "市场与经营环境变化", "measures": "落实岗位责任，按月跟踪评估",
                "source": "月度风险识别"})
            created.append((risk, base_l, base_i))
        by_unit[unit] = (officer, created)
        drift = {risk.id: rng.choice((-1, 0, 0, 1)) for risk, _, _ in created}
        for index, month in enumerate(months):
            for risk, base_l, base_i in created:
                # Each risk drifts over the year: some escalate, some fall, most wobble.
                trend = drift[risk.id] * (index // 4)
                l = _clamp(base_l - 1 + trend + rng.choice((-1, 0, 0, 0, 1)))
                i = _clamp(base_i + (trend if rng.random() < 0.4 else 0))
                # Last year's grades come in as a company's history does (an officer grades only the
                # months open to them); the officer who made them is named on each.
                assessments.record(session, policy.SYSTEM, risk.id, {
                    "period": month, "likelihood": l, "impact": i, "rationale": rng.choice(RATIONALES)})
        session.execute(update(Assessment).where(Assessment.risk_id.in_([r.id for r, _, _ in created]))
                        .values(assessed_by_id=officer.id).execution_options(synchronize_session=False))
    # This month's round is open: three units have graded every risk (their sheets go on to be signed off, see
    # actions/demo.py), a fourth part of them, the last none yet.
    rounds.open_round(session, manager, this_month, periods.today() + timedelta(days=10))
    for unit in SALES_UNITS[:4]:
        officer, created = by_unit[unit]
        for risk, base_l, base_i in created[: 12 if unit == "SC" else len(created)]:
            assessments.record(session, officer, risk.id, {
                "period": this_month, "likelihood": _clamp(base_l + rng.choice((-1, 0, 1))),
                "impact": base_i, "rationale": rng.choice(RATIONALES)})
    _respond_to_warnings(session, rng, months[-2:], by_unit)
    indicator_demo.load(session, months)


def _respond_to_warnings(session, rng, months, by_unit) -> None:
    head_by_unit = {unit: user_by_name(session, f"head_{unit.lower()}") for unit in by_unit}
    manager = user_by_name(session, "manager")
    for month, done_share in zip(months, (0.9, 0.6)):
        for warning in warnings.list_for_period(session, policy.SYSTEM, month):
            if rng.random() < done_share:
                progress = rng.choice((100, 80, 60, 40)) if done_share > 0.8 else rng.choice((60, 40, 20, 0))
                warnings.update(session, head_by_unit[warning.unit.code], warning.id, {
                    "response": rng.choice(RESPONSES), "progress": progress,
                    "status": "in_progress" if progress else "open"})
                if progress == 100:  # the unit reports it complete; the risk manager confirms it
                    warnings.update(session, manager, warning.id, {"status": "done"})
