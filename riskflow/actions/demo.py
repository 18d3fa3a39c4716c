"""Demo actions: the incidents' corrective actions, the review meetings' decisions and the answers to last
month's warnings, each taken through its workflow as people would (some done, one waiting for confirmation,
one overdue, one sent back with a reason); and this month's grading sheets signed off part of the way."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from .. import periods
from ..auth import policy
from ..auth.service import user_by_name
from ..register import sheets, warnings
from ..workflow import engine
from . import service
from .models import Action

# What a unit's action answers, by the warning's reason; the owner's report once it is carried out.
WARNING_ACTIONS = ("逐户核对欠款并制定清收计划", "调整重点客户赊销额度", "组织专项检查并通报结果",
                   "与客户签订补充协议明确调价机制", "每周召开销售形势分析会")
REPORT = "已按计划完成，相关记录和凭证已上传。"
RETURN_REASON = "完成情况缺少客户回款凭证，请补充后重新提交。"


def assign(session: Session, actor, data: dict, due: date, steps=(), today: date | None = None) -> Action:
    """An action made through the service (due in the future, as every new one is), then dated DUE as if it
    had been assigned earlier, and taken through STEPS (transition names) by its owner and the risk manager."""
    today = today or periods.today()
    action = service.create(session, actor, {**data, "due_date": (today + timedelta(days=30)).isoformat()})
    action.due_date = due
    for name in steps:
        step(session, action, name)
    session.flush()
    return action


def step(session: Session, action: Action, name: str) -> None:
    """Take transition NAME on ACTION as the person who would: its owner starts and submits (the risk manager
    for the department's own), the risk manager confirms and sends back."""
    manager = user_by_name(session, "manager")
    if name in ("start", "submit"):
        engine.fire(session, action, name, action.owner if action.unit_id else manager,
                    **({"report": REPORT} if name == "submit" else {}))
    else:
        engine.fire(session, action, name, manager, **({"comment": RETURN_REASON} if name == "return" else {}))


DONE = ("start", "submit", "confirm")


def on_warnings(session: Session, month: str) -> None:
    """Actions on MONTH's warnings still open: most done, one submitted for confirmation, one overdue, one sent
    back with a reason, the rest under way."""
    today = periods.today()
    plan = [DONE, DONE, DONE, ("start", "submit"), (), ("start", "submit", "return"), ("start",), DONE, ("start",)]
    waiting = [w for w in warnings.list_for_period(session, policy.SYSTEM, month)
               if w.status != "done" and w.unit is not None]
    for index, warning in enumerate(waiting[:len(plan)]):
        code = warning.unit.code.lower()
        officer, head = user_by_name(session, f"officer_{code}"), user_by_name(session, f"head_{code}")
        steps = plan[index]
        # The one with no step yet is the overdue one; the others are due around now.
        due = today - timedelta(days=6) if not steps else today + timedelta(days=(index % 3) * 7 - 3)
        assign(session, officer, {"title": WARNING_ACTIONS[index % len(WARNING_ACTIONS)],
                                  "owner": (head if index % 2 else officer).username, "warning_id": warning.id},
               due, steps, today)


def sign_off(session: Session, month: str) -> None:
    """MONTH's sheets: BJ accepted, SH submitted (waiting for its head), GD returned with the reason."""
    manager = user_by_name(session, "manager")
    for unit, steps in (("BJ", ("submit", "confirm", "accept")), ("SH", ("submit",)),
                        ("GD", ("submit", "confirm", "return"))):
        code = unit.lower()
        for step in steps:
            actor = {"submit": f"officer_{code}", "confirm": f"head_{code}"}.get(step)
            fields = {"comment": "请复核大客户货款回收逾期的影响程度，与本月逾期金额不符。"} if step == "return" else {}
            sheets.fire(session, user_by_name(session, actor) if actor else manager, month, unit, step, **fields)
