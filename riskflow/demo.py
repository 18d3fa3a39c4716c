"""The demo company of `riskflow init --demo`: five sales units, the inspection office, every role."""
from __future__ import annotations

from sqlalchemy.orm import Session

from . import periods
from .actions import demo as actions_demo
from .auth import policy
from .auth import service as auth_service
from .incidents import demo as incidents_demo
from .register import demo as register_demo
from .supervision import demo as supervision_demo

DEMO_PASSWORD = "riskflow-demo"

UNITS = (
    ("BJ", "北京销售分公司", "sales"),
    ("SH", "上海销售分公司", "sales"),
    ("GD", "广东销售分公司", "sales"),
    ("SC", "四川销售分公司", "sales"),
    ("HB", "湖北销售分公司", "sales"),
    ("JJ", "纪检监察室", "inspection"),
)

# username, display name, role, unit code, email. The display name is the person's name only: pages show the
# role and the unit beside it (a name holding them too read "马骏（纪检监察室）（纪检监察人员）").
USERS = (
    ("admin", "系统管理员", "admin", None, "admin@example.com"),
    ("manager", "王建国", "risk_manager", None, "manager@example.com"),
    ("officer_bj", "李娜", "risk_officer", "BJ", None),
    ("officer_sh", "陈静", "risk_officer", "SH", None),
    ("officer_gd", "黄志强", "risk_officer", "GD", None),
    ("officer_sc", "刘洋", "risk_officer", "SC", None),
    ("officer_hb", "周敏", "risk_officer", "HB", None),
    ("head_bj", "赵海", "unit_head", "BJ", "head_bj@example.com"),
    ("head_sh", "孙丽", "unit_head", "SH", "head_sh@example.com"),
    ("head_gd", "吴刚", "unit_head", "GD", None),
    ("head_sc", "郑伟", "unit_head", "SC", None),
    ("head_hb", "冯雪", "unit_head", "HB", None),
    ("inspector", "马骏", "inspector", "JJ", "inspector@example.com"),
    ("leader", "钱立新", "viewer", None, "leader@example.com"),
)


def load(session: Session) -> bool:
    """Create the demo company unless it is there; True when it was created now."""
    if auth_service.unit_by_code(session, UNITS[0][0]) is not None:
        return False
    actor = policy.SYSTEM
    for code, name, kind in UNITS:
        auth_service.create_unit(session, actor, code, name, kind)
    for username, display_name, role, unit_code, email in USERS:
        auth_service.create_user(
            session, actor, username, role, DEMO_PASSWORD,
            unit_code=unit_code, email=email, display_name=display_name,
        )
    session.flush()
    register_demo.load(session)
    supervision_demo.load(session)
    incidents_demo.load(session)
    actions_demo.on_warnings(session, periods.previous(periods.current()))
    actions_demo.sign_off(session, periods.current())
    return True
