"""The kinds of project (监察项目类别): a list the admin edits, each with its name in both languages. Projects
keep the code; a kind taken off the list stays readable on the projects that have it."""
from __future__ import annotations

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import defaults
from ..db import get_session
from ..i18n import current_language
from .models import SupervisionKind

# The list a new company starts with (migration 0017 stored the same for the databases it upgraded): code,
# 中文, English.
DEFAULT_KINDS = (
    ("major_decisions", "“三重一大”决策", "Major decisions (three majors and one large)"),
    ("procurement", "大宗物资采购", "Procurement of bulk materials"),
    ("budget", "预算管理", "Budget management"),
    ("financial_cost", "财务成本控制", "Financial cost control"),
    ("construction_cost", "工程成本控制", "Construction cost control"),
    ("large_funds", "大额资金运作", "Large fund operations"),
    ("tendering", "招投标管理", "Tendering"),
    ("progress", "进度管理", "Progress and milestones"),
    ("marketing", "营销推广", "Marketing and promotion"),
    ("sales_collection", "销售回款", "Sales collection"),
    ("leasing", "资产租赁经营", "Asset leasing"),
    ("process_building", "全流程建设", "Business-wide process building"),
    ("eight_rules", "落实中央八项规定精神（业务招待、领导人员履职待遇）",
     "Eight-point rules conduct (hospitality, leaders' expenses)"),
)


@defaults.loader
def load_default_kinds(session: Session) -> list[str]:
    """The default kinds of project, unless the company has its list already."""
    if session.scalar(select(func.count(SupervisionKind.id))) > 0:
        return []
    session.add_all(SupervisionKind(code=code, label_zh=zh, label_en=en, position=n, active=True)
                    for n, (code, zh, en) in enumerate(DEFAULT_KINDS, start=1))
    session.flush()
    return [_l("Loaded %(n)d default kinds of supervision project", n=len(DEFAULT_KINDS))]


def listed(session: Session, *, active_only: bool = True) -> list[SupervisionKind]:
    """The kinds in their order; ACTIVE_ONLY leaves out those the admin has retired."""
    stmt = select(SupervisionKind).order_by(SupervisionKind.position, SupervisionKind.code)
    if active_only:
        stmt = stmt.where(SupervisionKind.active.is_(True))
    return list(session.scalars(stmt))


def label_of(kind: SupervisionKind, language: str | None = None) -> str:
    return kind.label_en if (language or current_language()) == "en" else kind.label_zh


def labels(session: Session, *, active_only: bool = True, language: str | None = None) -> dict[str, str]:
    """code -> name in the reader's language, in the list's order."""
    return {kind.code: label_of(kind, language) for kind in listed(session, active_only=active_only)}


def label(code: str) -> str:
    """A kind's name for a page (every kind, retired ones too), read once per request; its code when unknown."""
    if has_request_context():
        cached = g.get("_supervision_kind_labels")
        if cached is None:
            cached = g._supervision_kind_labels = labels(get_session(), active_only=False)
    else:
        cached = labels(get_session(), active_only=False)
    return cached.get(code, code)
