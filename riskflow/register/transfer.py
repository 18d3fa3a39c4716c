"""Import risks and grades from .xlsx or .csv (all rows or none); export the register as .xlsx."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from .. import tables, xlsx
from ..auth.models import Unit, User
from ..errors import FieldErrors
from ..notifications import events
# The reading is shared with the indicators' imports; callers of the register's import still find it here.
from ..tables import ImportFailed, read_table, rows_from_path  # noqa: F401
from ..values import WHOLE_MESSAGE, whole
from . import assessments, grading, risks
from .labels import LEVEL_LABELS, STRATEGY_LABELS
from .models import Assessment, Category, Risk

# field -> accepted headers (the contract's name first, then Chinese and English variants)
RISK_COLUMNS = {
    "code": ("code", "编号", "风险编号", "Code"),
    "title": ("title", "风险名称", "名称", "风险", "Title", "Risk"),
    "category": ("category", "风险分类", "分类", "Category"),
    "unit": ("unit", "单位", "所属单位", "Unit"),
    "owner": ("owner", "责任人", "Owner"),
    "source": ("source", "风险源", "Source"),
    "causes": ("causes", "风险成因", "成因", "Causes"),
    "response_strategy": ("response_strategy", "应对策略", "Response strategy"),
    "measures": ("measures", "控制措施", "Control measures", "Measures"),
}
ASSESSMENT_COLUMNS = {
    "code": ("code", "编号", "风险编号", "Code"),
    "likelihood": ("likelihood", "发生可能性", "可能性", "Likelihood"),
    "impact": ("impact", "影响程度", "影响", "Impact"),
    "rationale": ("rationale", "评估理由", "理由", "Rationale", "Reason"),
    **{f"impact_{d}": (f"impact_{d}", f"{zh}影响", d) for d, zh in (
        ("financial", "财务"), ("reputation", "声誉"), ("compliance", "合规"), ("safety", "安全"),
        ("environment", "环境"), ("operations", "营运"))},
}
REQUIRED_RISK = ("title", "category", "unit")
REQUIRED_ASSESSMENT = ("code", "likelihood")
LEVEL_FILLS = {"low": "2F6FDB", "general": "F2C200", "significant": "F08C00", "major": "D62828"}
STRATEGY_NAMES_ZH = {"风险规避": "avoid", "规避": "avoid", "风险降低": "reduce", "降低": "reduce",
                     "风险分担": "share", "分担": "share", "风险承受": "accept", "承受": "accept"}


def _lookup_codes(session: Session) -> tuple[dict, dict]:
    """Category and unit codes by code, Chinese name and English name."""
    categories = {}
    for c in session.scalars(select(Category)):
        for key in (c.code, c.name, c.name_en):
            categories.setdefault(key, c.code)
    units = {}
    for u in session.scalars(select(Unit)):
        for key in (u.code, u.name):
            units.setdefault(key, u.code)
    return categories, units


def import_risks(session: Session, actor, rows: list, progress=None) -> int:
    """Add every risk of the file, or none; returns how many were added.

    Every row is checked first; the risks and their history rows then go in with a few bulk inserts."""
    mapping = tables.map_columns(rows, RISK_COLUMNS, REQUIRED_RISK)
    categories, units = _lookup_codes(session)
    taken = set(session.scalars(select(Risk.code)))
    prepared = []
    to_number: dict[str, list[dict]] = {}  # unit code -> the rows whose code is generated, in file order

    def handle(number, row):
        data = {field: row.get(header, "") for field, header in mapping.items()}
        data["category"] = categories.get(data["category"], data["category"])
        data["unit"] = units.get(data["unit"], data["unit"])
        strategy = data.get("response_strategy", "")
        data["response_strategy"] = STRATEGY_NAMES_ZH.get(strategy, strategy) or None
        if not data.get("code"):
            data.pop("code", None)
        values = risks.prepare(session, actor, data, generate_code=False)
        if not values.get("code"):  # numbered below, once every row is known to be good
            to_number.setdefault(data["unit"], []).append(values)
        elif values["code"] in taken:
            raise risks.code_taken(values["code"])
        else:
            taken.add(values["code"])
        prepared.append(values)

    done = tables.run_rows(rows, handle, mapping, progress)
    for unit_code, numbered in to_number.items():  # one counter step per unit, not one per row
        for values, code in zip(numbered, risks.new_codes(session, unit_code, len(numbered), also_taken=taken)):
            values["code"] = code
    risks.create_many(session, actor, prepared)
    return done


def _whole(value: str, field: str, errors: FieldErrors):
    if value == "":
        return None
    try:
        return whole(value)
    except ValueError:
        errors.add(field, WHOLE_MESSAGE)
        return None


def import_assessments(session: Session, actor, rows: list, period: str, progress=None) -> int:
    """Grade every risk of the file for PERIOD (revising an existing grade), or none."""
    errors = FieldErrors()
    assessments.check_period(period, errors)
    errors.raise_if_any(_l("Nothing was imported."))
    mapping = tables.map_columns(rows, ASSESSMENT_COLUMNS, REQUIRED_ASSESSMENT)
    # Only the risks ACTOR may see: another unit's code reads as unknown, as it would anywhere else.
    codes = dict(session.execute(risks.query(actor).with_only_columns(Risk.code, Risk.id)).all())

    def handle(number, row):
        problems = FieldErrors()
        code = row.get(mapping["code"], "")
        risk_id = codes.get(code)
        if risk_id is None:
            problems.add("code", _l("Unknown risk %(code)s.", code=code))
        data = {"period": period, "rationale": row.get(mapping.get("rationale", ""), "")}
        data["likelihood"] = _whole(row.get(mapping["likelihood"], ""), "likelihood", problems)
        impact = _whole(row.get(mapping.get("impact", ""), ""), "impact", problems)
        impacts = {}
        for dimension in grading.IMPACT_DIMENSIONS:
            header = mapping.get(f"impact_{dimension}")
            value = _whole(row.get(header, ""), f"impact_{dimension}", problems) if header else None
            if value is not None:
                impacts[dimension] = value
        if impacts:
            data["impacts"] = impacts
        if impact is not None:
            data["impact"] = impact
        problems.raise_if_any(_l("The grade was not saved."))
        if assessments.find(session, risk_id, period) is None:
            assessments.record(session, actor, risk_id, data)
        else:
            assessments.revise(session, actor, risk_id, period, data)

    with events.warnings_told_together(session):
        return tables.run_rows(rows, handle, mapping, progress)


EXPORT_HEADERS = (
    ("编号", "Code"), ("风险名称", "Risk"), ("单位", "Unit"), ("风险分类", "Category"), ("责任人", "Owner"),
    ("应对策略", "Response strategy"), ("控制措施", "Control measures"), ("发生可能性", "Likelihood"),
    ("影响程度", "Impact"), ("风险分值", "Score"), ("风险等级", "Level"), ("评估理由", "Rationale"),
    ("评估人", "Assessed by"),
)


def export_register(session: Session, actor, period: str, out, language: str = "zh_CN") -> int:
    """Write PERIOD's register (every risk ACTOR may see, with its grade) to OUT as .xlsx; returns rows."""
    with force_locale(language):
        return _export(session, actor, period, out, language == "en")


def _export(session: Session, actor, period: str, out, english: bool) -> int:
    errors = FieldErrors()
    assessments.check_period(period, errors)
    errors.raise_if_any(_l("Say which month: period=YYYY-MM."))
    # Labels rendered once, not once per row.
    level_names = {code: str(label) for code, label in LEVEL_LABELS.items()}
    strategy_names = {code: str(label) for code, label in STRATEGY_LABELS.items()}
    assessor = aliased(User)
    stmt = (risks.query(actor, status="active")
            .with_only_columns(Risk.code, Risk.title, Unit.name, Category.name_en if english else Category.name,
                               Risk.owner, Risk.response_strategy, Risk.measures, Assessment.likelihood,
                               Assessment.impact, Assessment.score, Assessment.level, Assessment.rationale,
                               func.coalesce(func.nullif(assessor.display_name, ""), assessor.username))
            .join_from(Risk, Unit, Unit.id == Risk.unit_id).join_from(Risk, Category, Category.id == Risk.category_id)
            .outerjoin_from(Risk, Assessment, (Assessment.risk_id == Risk.id) & (Assessment.period == period))
            .outerjoin_from(Assessment, assessor, assessor.id == Assessment.assessed_by_id))

    def rows():
        for code, title, unit, category, owner, strategy, measures, l, i, score, level, rationale, by in \
                session.execute(stmt):
            values = [code, title, unit, category, owner, strategy_names[strategy] if strategy else "", measures]
            if level is not None:
                values += [l, i, score, xlsx.Fill(level_names[level], LEVEL_FILLS[level]), rationale, by or ""]
            yield values

    return xlsx.write(out, f"Register {period}" if english else f"风险登记册 {period}",
                      [en if english else zh for zh, en in EXPORT_HEADERS], rows(),
                      [10, 36, 16, 18, 12, 12, 36, 10, 10, 10, 12, 36, 12], LEVEL_FILLS.values())
