"""The grading standard in force, its versions, and the risk categories."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import defaults, history, values
from ..auth import policy
from ..errors import Conflict, FieldErrors, NotFound
from . import grading
from .models import Category, GradingStandard

history.register_entity("standard", lambda session, id_: session.get(GradingStandard, id_))
history.register_entity("category", lambda session, id_: session.get(Category, id_))

CATEGORY_TREE = (
    ("strategic", "战略风险", "Strategic", (
        ("policy", "国家政策风险", "National policy"),
    )),
    ("financial", "财务风险", "Financial", (
        ("receivables", "应收账款风险", "Receivables"),
    )),
    ("market", "市场风险", "Market", (
        ("demand", "市场需求风险", "Market demand"),
        ("competition", "竞争风险", "Competition"),
        ("price", "价格风险", "Price"),
    )),
    ("operational", "运营风险", "Operational", (
        ("capacity", "销售与运输能力风险", "Sales and transport capacity"),
    )),
    ("legal", "法律风险", "Legal", (
        ("contracts", "合同风险", "Contracts"),
        ("compliance", "合规风险", "Compliance"),
    )),
)


def current_record(session: Session) -> GradingStandard:
    """The newest standard version."""
    record = session.scalar(select(GradingStandard).order_by(GradingStandard.version.desc()).limit(1))
    if record is None:
        raise NotFound(_l("No grading standard is loaded; run `riskflow init`."))
    return record


def current(session: Session) -> tuple[GradingStandard, grading.Standard]:
    """(row, Standard) of the version in force."""
    record = current_record(session)
    return record, grading.from_json(record.definition)


def save_version(session: Session, actor, standard: grading.Standard, note: str = "") -> GradingStandard:
    """Store STANDARD as the next version; past assessments keep the version they were made under."""
    policy.require(actor, "standard.manage")
    problems = grading.check_fields(standard)
    if problems:
        errors = FieldErrors()
        for part, message in problems:
            errors.add(part, message)
        errors.raise_if_any(_l("The standard was not saved."))
    latest = session.scalar(select(func.max(GradingStandard.version))) or 0
    record = GradingStandard(version=latest + 1, definition=grading.to_json(standard), note=note,
                             created_by_id=actor.id)
    session.add(record)
    session.flush()
    history.record(session, actor, "standard", record.id, "create", changes={"version": [latest or None, record.version]})
    return record


# The note stored on the default version; pages show it in the reader's language.
DEFAULT_NOTE = "default (SASAC 2006)"


@defaults.loader
def load_default_standard(session: Session) -> list[str]:
    """Version 1 is DOMAIN.md's default, unless a standard exists."""
    if session.scalar(select(func.count(GradingStandard.id))) > 0:
        return []
    save_version(session, policy.SYSTEM, grading.default_standard(), DEFAULT_NOTE)
    return [_l("Loaded the default grading standard")]


def category_by_code(session: Session, code: str) -> Category | None:
    return session.scalar(select(Category).where(Category.code == code))


def list_categories(session: Session) -> list[Category]:
    """Every category, top level first, in their order."""
    return list(session.scalars(select(Category).order_by(Category.position, Category.id)))


def create_category(session: Session, actor, code: str, name: str, name_en: str, parent_code: str | None = None,
                    position: int | None = None) -> Category:
    """Add a category (two levels at most)."""
    policy.require(actor, "category.manage")
    errors = FieldErrors()
    name, name_en = (name or "").strip(), (name_en or "").strip()
    if not values.is_category_code(code):
        errors.add("code", values.CATEGORY_CODE_MESSAGE)
    if not name:
        errors.add("name", _l("A name is required."))
    if not name_en:
        errors.add("name_en", _l("An English name is required."))
    parent = None
    if parent_code:
        parent = category_by_code(session, parent_code)
        if parent is None:
            errors.add("parent", _l("Unknown category %(code)s.", code=parent_code))
        elif parent.parent_id is not None:
            errors.add("parent", _l("Categories have two levels: choose a top-level parent."))
    errors.raise_if_any(_l("The category was not created."))
    if category_by_code(session, code) is not None:
        raise Conflict(_l("Category %(code)s already exists.", code=code), {"code": [_l("Already taken.")]})
    if position is None:
        position = (session.scalar(select(func.max(Category.position))) or 0) + 1
    category = Category(code=code, name=name, name_en=name_en, parent_id=parent.id if parent else None,
                        position=position)
    session.add(category)
    session.flush()
    history.record(session, actor, "category", category.id, "create", changes={"code": [None, code]})
    return category


@defaults.loader
def load_default_categories(session: Session) -> list[str]:
    """The SASAC top levels and the sales subcategories, unless categories exist."""
    if session.scalar(select(func.count(Category.id))) > 0:
        return []
    position = 0
    for code, name, name_en, children in CATEGORY_TREE:
        position += 1
        create_category(session, policy.SYSTEM, code, name, name_en, position=position)
        for child_code, child_name, child_en in children:
            position += 1
            create_category(session, policy.SYSTEM, child_code, child_name, child_en, code, position)
    return [_l("Loaded %(n)d default risk categories", n=position)]


def category_json(category: Category) -> dict:
    return {"code": category.code, "name": category.name, "name_en": category.name_en,
            "parent": category.parent.code if category.parent else None}


def standard_json(record: GradingStandard) -> dict:
    """The API's view: scales, bands with the scores each covers, and every cell's level."""
    standard = grading.from_json(record.definition)
    body = grading.to_json(standard)
    cells = [{"likelihood": l, "impact": i, "score": l * i, "level": grading.cell_level(standard, l, i)}
             for l in range(1, len(standard.likelihood) + 1) for i in range(1, len(standard.impact) + 1)]
    for band in body["bands"]:
        scores = sorted({c["score"] for c in cells if c["level"] == band["code"]})
        band["scores"] = scores
    body.update(version=record.version, id=record.id, cells=cells)
    return body
