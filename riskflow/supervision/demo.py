"""Demo supervision: a year of projects in every state, last year's closed, some rectifications overdue."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from .. import periods
from ..auth.service import user_by_name
from ..workflow import engine
from . import benefits, service

# title, kind, method, participating units, benefit (yuan, the sum of BENEFITS' entries), steps to take, recommendations (unit, days due from today)
PROJECTS = (
    ("大宗油品采购效能监察", "procurement", "document_analysis", ["BJ", "SH"], 0, [], []),
    ("“三重一大”决策执行效能监察", "major_decisions", "document_analysis", ["GD"], 0, ["file"], []),
    ("全面预算执行效能监察", "budget", "target_assessment", ["SC"], 0, ["file", "start_monitoring"], []),
    ("销售回款效能监察", "sales_collection", "efficiency_audit", ["BJ", "HB"], 450000,
     ["file", "start_monitoring", "issue_recommendations"], [("BJ", 20), ("HB", 5)]),
    ("营销推广费用效能监察", "marketing", "target_assessment", ["SH"], 120000,
     ["file", "start_monitoring", "issue_recommendations", "start_rectification"], [("SH", -12), ("SH", -45)]),
    ("油库租赁资产经营效能监察", "leasing", "efficiency_audit", ["GD"], 300000,
     ["file", "start_monitoring", "issue_recommendations", "start_rectification"], [("GD", 3)]),
    ("招投标管理效能监察", "tendering", "document_analysis", ["SC"], 1700000,
     ["file", "start_monitoring", "issue_recommendations", "start_rectification", "close"], [("SC", -30)]),
    ("大额资金运作效能监察", "large_funds", "efficiency_audit", ["HB"], 0, ["file", "cancel"], []),
)
# A project's benefits (yuan, kind, description), each produced by one of its recommendations in turn.
BENEFITS = {
    "销售回款效能监察": ((450000, "recovered", "完成追缴历史欠费45万元"),),
    "营销推广费用效能监察": ((80000, "cost_reduction", "压减重复投放的推广费用8万元"),
                     (40000, "avoided_loss", "追回不合规报销，避免损失4万元")),
    "油库租赁资产经营效能监察": ((300000, "recovered", "追缴欠收租金30万元"),),
    "招投标管理效能监察": ((1700000, "cost_reduction", "减少土建施工费用约170万元"),),
}
FINDINGS = (
    ("部分客户欠款超过信用额度且未及时催收", "依据公司《应收账款管理办法》第十二条", "建立客户信用动态评估机制，按月清理超期欠款"),
    ("推广费用报销凭证不完整", "依据公司《费用报销管理规定》", "完善推广费用审批和报销流程，补齐凭证"),
    ("租赁合同到期未及时续签，租金存在欠收", "依据公司《资产经营管理办法》", "清理到期合同，追缴欠收租金"),
)


def load(session: Session) -> None:
    """Add the demo projects to a company whose units and users exist."""
    inspector = user_by_name(session, "inspector")
    heads = {code: user_by_name(session, f"head_{code.lower()}") for code in ("BJ", "SH", "GD", "SC", "HB")}
    today = periods.today()
    year = today.year
    for n, (title, kind, method, units, benefit, steps, recs) in enumerate(PROJECTS):
        project = service.create_project(session, inspector, {
            "year": year, "title": title, "kind": kind, "method": method, "lead_unit": "JJ",
            "participating_units": units,
            "reason": "落实公司年度效能监察工作计划", "scope": "本年度相关业务全过程",
            "control_points": "制度建设、审批流程、执行结果", "plan": "2—3月立项；4—11月实施；12月总结",
            "start_date": f"{year}-03-01", "end_date": f"{year}-12-31"})
        for step in steps:
            if step == "issue_recommendations":
                for index, (unit, due_in) in enumerate(recs):
                    finding, basis, advice = FINDINGS[(n + index) % len(FINDINGS)]
                    rec = service.add_recommendation(session, inspector, project.id, {
                        "finding": finding, "basis": basis, "recommendation": advice, "responsible_unit": unit})
                    # The demo's deadlines are spread around today; some have passed.
                    rec.due_date = today + timedelta(days=due_in)
            fields = {"comment": "整改全部验收，结项归档"} if step == "close" else \
                {"comment": "立项条件变化，撤销"} if step == "cancel" else {}
            if step == "close":
                _rectify(session, project, heads, inspector)
            engine.fire(session, project, step, inspector, **fields)
        if "start_rectification" in steps and "close" not in steps:
            for rec in project.recommendations[:1]:
                engine.fire(session, rec, "accept", heads[rec.responsible_unit.code])
        for index, (amount, benefit_kind, description) in enumerate(BENEFITS.get(title, ())):
            recs_made = project.recommendations
            rec = recs_made[index % len(recs_made)] if recs_made else None
            benefits.add_benefit(session, inspector, project.id, {
                "amount": amount, "kind": benefit_kind, "recommendation_id": rec.id if rec else None,
                "description": description}, check_open=False)


def _rectify(session, project, heads, inspector) -> None:
    for rec in project.recommendations:
        head = heads[rec.responsible_unit.code]
        engine.fire(session, rec, "accept", head)
        engine.fire(session, rec, "submit", head, report="已按建议完成整改，制度文件和凭证见附件")
        engine.fire(session, rec, "verify", inspector)
