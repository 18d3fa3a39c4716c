"""Demo risk event library: two years of incidents and near misses, reviewed quarters, miscalibrated risks."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import periods
from ..actions import demo as actions_demo
from ..actions.models import Action
from ..auth.models import Unit
from ..auth.service import user_by_name
from ..register.models import Assessment, Risk
from ..workflow import engine
from . import cases, meetings, rounds, service

EVENTS = (
    ("客户伪造提货单提走油品", "loss_event", "external_fraud", "大客户货款回收逾期", (50_000, 300_000)),
    ("大客户拖欠货款形成坏账", "loss_event", "clients_products", "赊销额度超限形成坏账", (100_000, 600_000)),
    ("油罐车运输途中追尾", "loss_event", "physical_assets", "运输车辆安全事故", (20_000, 150_000)),
    ("油罐车险些侧翻，司机及时制动", "near_miss", "employment_safety", "运输车辆安全事故", (0, 0)),
    ("销售信息系统宕机四小时", "loss_event", "disruption_systems", "销售信息系统故障", (5_000, 40_000)),
    ("合同价格条款漏签调价机制", "near_miss", "execution_process", "合同条款不完善引发纠纷", (0, 0)),
    ("计量器具超期未检被市场监管部门通报", "loss_event", "clients_products", "计量器具未按期检定", (10_000, 30_000)),
    ("业务员虚报招待费用", "loss_event", "internal_fraud", "业务招待费超标使用", (8_000, 60_000)),
    ("客户资质审核发现假营业执照", "near_miss", "external_fraud", "客户资质审核不严", (0, 0)),
)


def _quarters_before(today: date, n: int) -> list[str]:
    start = periods.quarter_start(periods.quarter_of(today))
    result = []
    for _ in range(n):
        start = (start - timedelta(days=1)).replace(day=1)
        start = periods.quarter_start(periods.quarter_of(start))
        result.append(periods.quarter_of(start))
    return list(reversed(result))


def load(session: Session) -> None:
    """Add the demo library to a company whose register exists."""
    rng = random.Random(7)
    today = periods.today()
    manager = user_by_name(session, "manager")
    units = list(session.scalars(select(Unit).where(Unit.kind == "sales").order_by(Unit.code)))
    quarters = _quarters_before(today, 8)
    for quarter in quarters:
        start = periods.quarter_start(quarter)
        for unit in units:
            officer = user_by_name(session, f"officer_{unit.code.lower()}")
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                _record(session, rng, officer, unit, start + timedelta(days=rng.randrange(0, 85)), today)
    _miscalibrate(session, rng, units, today)
    for index, quarter in enumerate(quarters):
        _collect(session, rng, manager, units, quarter)
        if index < len(quarters) - 1:  # the latest quarter still waits for its meeting
            _review(session, manager, quarter, close=index < len(quarters) - 3)


def _record(session, rng, officer, unit, occurred: date, today: date, event=None):
    title, kind, loss_type, risk_title, (low, high) = event or rng.choice(EVENTS)
    occurred = min(occurred, today)
    risk = session.scalar(select(Risk).where(Risk.unit_id == unit.id, Risk.title == risk_title))
    if risk is not None and event is None and _likelihood(session, risk) < 3:
        risk = None  # officers link an event to a risk whose grade already allows it; _miscalibrate breaks that
    gross = rng.randrange(low, high + 1, 1000) if high else 0
    incident = service.create(session, officer, {
        "title": title, "kind": kind, "loss_type": loss_type, "unit": unit.code,
        "occurred_on": occurred, "discovered_on": min(occurred + timedelta(days=rng.randrange(0, 10)), today),
        "description": f"{unit.name}{title}。", "cause": "制度执行不到位，审核把关不严",
        "handling": "及时报告、查明原因并追偿" if kind == "loss_event" else "及时发现并纠正，未造成损失",
        "lessons": "加强过程控制和岗位培训",
        "losses": {"financial": gross, "reputation": rng.choice((0, 1, 2)), "compliance": rng.choice((0, 1, 2, 3)),
                   "safety": 3 if "油罐车" in title else 0, "operations": rng.choice((0, 1, 2))},
        "recoveries": gross // 4 if gross else 0, "risk_ids": [risk.id] if risk else []})
    # The corrective action: the unit's officer carries it out, due two months after the event.
    actions_demo.assign(session, officer, {"title": "修订相关管理制度并组织培训", "owner": officer.username,
                                           "incident_id": incident.id}, occurred + timedelta(days=60), today=today)
    return incident


def _likelihood(session, risk) -> int:
    graded = session.scalar(select(Assessment.likelihood).where(Assessment.risk_id == risk.id)
                            .order_by(Assessment.period.desc()).limit(1))
    return graded or 0


def _miscalibrate(session, rng, units, today) -> None:
    """Two units had repeated incidents on risks they still grade as rare or unlikely."""
    for unit, event in zip(units[:2], (EVENTS[2], EVENTS[4])):
        officer = user_by_name(session, f"officer_{unit.code.lower()}")
        risk = session.scalar(select(Risk).where(Risk.unit_id == unit.id, Risk.title == event[3]))
        if not 0 < _likelihood(session, risk) <= 2:
            continue
        for days_ago in (40, 200, 420):
            _record(session, rng, officer, unit, today - timedelta(days=days_ago), today, event)


def _collect(session, rng, manager, units, quarter) -> None:
    start = periods.quarter_start(quarter)
    deadline = (start + timedelta(days=100))
    rounds.open_round(session, manager, quarter, deadline)
    for unit in units:
        officer = user_by_name(session, f"officer_{unit.code.lower()}")
        count = len(list(session.scalars(service.query(officer, quarter=quarter))))
        answer = rounds.answer(session, officer, quarter, unit.id, nil=count == 0)
        answer.submitted_on = deadline + timedelta(days=rng.choice((-20, -10, -5, -3, 4)))


def _review(session, manager, quarter, close: bool) -> None:
    pending = list(session.scalars(service.query(manager, quarter=quarter, state="reported")))
    if not pending:
        return
    held = periods.quarter_start(quarter) + timedelta(days=105)
    held = min(held, periods.today())
    meeting = meetings.record(session, manager, {
        "quarter": quarter, "held_on": held, "attendees": "王建国、马骏、各销售分公司负责人",
        "conclusions": "各单位举一反三，完善制度，防止同类事件再次发生",
        "items": [{"incident_id": i.id, "conclusion": "责任单位落实整改措施"} for i in pending]})
    # The meeting shares the quarter's costliest loss with every unit as a warning case (警示案例).
    costliest = max(pending, key=lambda i: (i.gross_loss, -i.id))
    if costliest.gross_loss > 0:
        cases.mark(session, manager, costliest.id, True)
    # The meeting's decision: the risk department follows the corrective actions up, done by the next meeting.
    actions_demo.assign(session, manager, {"title": "风险管理部门跟踪整改措施落实情况", "owner": manager.username,
                                           "meeting_id": meeting.id}, held + timedelta(days=30),
                        actions_demo.DONE if close else ())
    if close:
        for incident in pending:
            engine.fire(session, incident, "close", manager)
        for action in session.scalars(select(Action).where(Action.incident_id.in_([i.id for i in pending]),
                                                           Action.state == "open")):
            for step in actions_demo.DONE:
                actions_demo.step(session, action, step)
