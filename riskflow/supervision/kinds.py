"""The kinds of project (监察项目类别): a list the admin edits, each with its name in both languages. Projects
keep the code; a kind taken off the list stays readable on the projects that have it."""
from __future__ import annotations

import re

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import defaults, history, values
from ..auth import policy
from ..db import get_session
from ..errors import Conflict, FieldErrors, NotFound
from ..i18n import current_language
from ..validation import texts
from .models import SupervisionKind, SupervisionProject


def listed_query(*, active_only: bool = True):
    """The kinds in their order, as a statement; ACTIVE_ONLY leaves out those the admin has retired."""
    stmt = select(SupervisionKind).order_by(SupervisionKind.position, SupervisionKind.code)
    return stmt.where(SupervisionKind.active.is_(True)) if active_only else stmt

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
    return list(session.scalars(listed_query(active_only=active_only)))


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


# The admin's list: who reads it, who edits it.
policy.allow("supervision_kind.read", policy.ALL)
policy.allow("supervision_kind.manage", {"admin"})

CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]{1,29}")
LABEL_FIELDS = {"label_zh": 100, "label_en": 100}
KIND_FIELDS = ("label_zh", "label_en", "position", "active")

history.register_entity("supervision_kind", lambda s, id_: s.get(SupervisionKind, id_))


def require_kind(session: Session, code: str) -> SupervisionKind:
    """The kind CODE, or NotFound; what is not a code at all (a NUL byte: a 500 on PostgreSQL) is refused before
    the database is asked."""
    kind = session.scalar(select(SupervisionKind).where(SupervisionKind.code == code)) if isinstance(
        code, str) and CODE_PATTERN.fullmatch(code) else None
    if kind is None:
        raise NotFound(_l("No project kind %(code)s.", code=code))
    return kind


def _kind_values(data: dict, errors: FieldErrors, *, creating: bool) -> dict:
    """The checked label, position and active values sent in DATA (every label when CREATING)."""
    sent = (lambda name: True) if creating else (lambda name: name in data)
    checked = texts(data, {name: n for name, n in LABEL_FIELDS.items() if sent(name)}, errors)
    for name in LABEL_FIELDS:
        if name in checked and not checked[name] and name not in errors.errors:
            errors.add(name, _l("A name is required."))
    if "position" in data and data["position"] not in (None, ""):
        position = data["position"]
        if isinstance(position, str):
            position = values.whole_or(position.strip(), None)
        if not isinstance(position, int) or isinstance(position, bool) or not 0 <= position <= 9999:
            errors.add("position", _l("A whole number from 0 to 9999."))
        else:
            checked["position"] = position
    if "active" in data:
        if not isinstance(data["active"], bool):
            errors.add("active", _l("Yes or no."))
        else:
            checked["active"] = data["active"]
    return checked


def _names_free(session: Session, checked: dict, errors: FieldErrors, kind_id: int | None = None) -> None:
    """Refuse a name another kind has, in either language (letter case aside): the pages show kinds by name."""
    for name in LABEL_FIELDS:
        wanted = checked.get(name)
        if not wanted or name in errors.errors:
            continue
        column = getattr(SupervisionKind, name)
        other = session.scalar(select(SupervisionKind.code).where(func.lower(column) == wanted.lower(),
                                                                   SupervisionKind.id != (kind_id or 0)))
        if other is not None:
            errors.add(name, _l("The kind %(code)s already has this name.", code=other))


def create_kind(session: Session, actor, data: dict) -> SupervisionKind:
    """Add a kind to the list (the admin): a new code and its name in both languages; placed last unless a
    position is given."""
    policy.require(actor, "supervision_kind.manage")
    errors = FieldErrors()
    code = data.get("code")
    code = code.strip() if isinstance(code, str) else ""
    if not CODE_PATTERN.fullmatch(code):
        errors.add("code", _l("2 to 30 lowercase letters, digits or underscores, starting with a letter."))
    checked = _kind_values(data, errors, creating=True)
    _names_free(session, checked, errors)
    errors.raise_if_any(_l("The project kind was not added."))
    if session.scalar(select(SupervisionKind.id).where(SupervisionKind.code == code)) is not None:
        raise Conflict(_l("The project kind %(code)s already exists.", code=code), {"code": [_l("Already taken.")]})
    if "position" not in checked:
        checked["position"] = (session.scalar(select(func.max(SupervisionKind.position))) or 0) + 1
    kind = SupervisionKind(code=code, **checked)
    session.add(kind)
    session.flush()
    history.record(session, actor, "supervision_kind", kind.id, "create",
                   changes={name: [None, getattr(kind, name)] for name in ("code",) + KIND_FIELDS})
    _forget_cached_labels()
    return kind


def update_kind(session: Session, actor, code: str, data: dict) -> SupervisionKind:
    """Change a kind's names or position, or retire (active false) or restore it. A kind is never deleted:
    projects keep their kind's code, and a retired kind stays readable on them."""
    policy.require(actor, "supervision_kind.manage")
    kind = require_kind(session, code)
    errors = FieldErrors()
    checked = _kind_values(data, errors, creating=False)
    _names_free(session, checked, errors, kind.id)
    errors.raise_if_any(_l("The project kind was not saved."))
    changes = {name: [getattr(kind, name), value] for name, value in checked.items() if getattr(kind, name) != value}
    for name, value in checked.items():
        setattr(kind, name, value)
    session.flush()
    if changes:
        action = "update" if "active" not in changes else ("retire" if not kind.active else "restore")
        history.record(session, actor, "supervision_kind", kind.id, action, changes=changes)
    _forget_cached_labels()
    return kind


def used(session: Session) -> set[str]:
    """The codes of the kinds some project has."""
    return set(session.scalars(select(SupervisionProject.kind).distinct()))


def _forget_cached_labels() -> None:
    if has_request_context():
        g.pop("_supervision_kind_labels", None)
