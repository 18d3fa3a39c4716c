"""The risk database: create, edit with optimistic locking, retire, find."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, event, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload, lazyload

from .. import history, numbering, periods, versions
from ..db import utcnow
from ..auth import policy
from ..auth.models import Unit, User
from ..auth.service import unit_by_code
from ..errors import Conflict, FieldErrors, Forbidden
from ..validation import one_of
from ..values import CODE_MESSAGE, WHOLE_MESSAGE, is_risk_code, whole
from . import grading
from .models import RESPONSE_STRATEGIES, RISK_STATUSES, Assessment, Category, Risk
from .labels import LEVEL_LABELS, RISK_STATUS_LABELS, STRATEGY_LABELS
from .standard import category_by_code

EDITABLE = ("title", "category", "unit", "owner", "source", "causes", "response_strategy", "measures", "status")
TEXT_LIMITS = {"title": 200, "owner": 100, "source": 4000, "causes": 4000, "measures": 4000}
TRACKED = ("code", "title", "category_id", "unit_id", "owner", "source", "causes", "response_strategy",
           "measures", "status")

history.register_entity("risk", lambda session, id_: session.get(Risk, id_))


def get(session: Session, actor, risk_id: int, action: str = "risk.read") -> Risk:
    """The risk with RISK_ID if ACTOR may take ACTION on it; another unit's risk is NotFound."""
    return policy.require_found(actor, action, session.get(Risk, risk_id))


def _id_of(session: Session, kind: str, code: str) -> int | None:
    """The id of a category or unit code, remembered for the session (an import asks thousands of times).

    Only ids found are kept: a code created later in the same session is still looked up."""
    known = session.info.setdefault("riskflow.code_ids", {})
    if (kind, code) not in known:
        row = category_by_code(session, code) if kind == "category" else unit_by_code(session, code)
        if row is None:
            return None
        known[(kind, code)] = row.id
    return known[(kind, code)]


@event.listens_for(Session, "after_rollback")
def _forget_code_ids(session) -> None:
    # A rolled-back category or unit must not be remembered.
    session.info.pop("riskflow.code_ids", None)


def _clean(data: dict, errors: FieldErrors, session: Session, *, creating: bool) -> dict:
    """Checked values for the fields present in DATA (all required ones when creating)."""
    values = {}
    for name, limit in TEXT_LIMITS.items():
        if name in data:
            value = data[name]
            if value is None:
                value = ""
            if not isinstance(value, str):
                errors.add(name, _l("Must be text."))
                continue
            value = value.strip()
            if len(value) > limit:
                errors.add(name, _l("At most %(n)d characters.", n=limit))
            values[name] = value
    if creating or "title" in data:
        if not values.get("title"):
            errors.add("title", _l("A title is required."))
    if creating or "category" in data:
        category_id = _id_of(session, "category", str(data.get("category") or ""))
        if category_id is None:
            errors.add("category", _l("Unknown category %(code)s.", code=data.get("category")))
        else:
            values["category_id"] = category_id
    if creating or "unit" in data:
        unit_id = _id_of(session, "unit", str(data.get("unit") or ""))
        if unit_id is None:
            errors.add("unit", _l("Unknown unit %(code)s.", code=data.get("unit")))
        else:
            values["unit_id"] = unit_id
    if "response_strategy" in data:
        strategy = data["response_strategy"] or None
        if strategy is not None and strategy not in RESPONSE_STRATEGIES:
            errors.add("response_strategy", one_of(STRATEGY_LABELS))
        values["response_strategy"] = strategy
    if "status" in data:
        if data["status"] not in RISK_STATUSES:
            errors.add("status", one_of(RISK_STATUS_LABELS))
        values["status"] = data["status"]
    if "code" in data and data["code"]:
        if is_risk_code(data["code"]):
            values["code"] = data["code"]
        else:
            errors.add("code", CODE_MESSAGE)
    return values


# Generated risk codes: the unit's code and a number, `BJ-007`.
CODES = numbering.Series("risk", "{scope}-{n:03d}", Risk.code)


def new_codes(session: Session, unit_code: str, count: int = 1, also_taken=frozenset()) -> list[str]:
    """COUNT new codes for the unit's risks, distinct however many writers create risks at once
    (and none of ALSO_TAKEN, codes about to be stored)."""
    return numbering.next_codes(session, CODES, unit_code, count, also_taken)


def _require_own_unit(actor, unit_id: int) -> None:
    if policy.is_unit_scoped(actor) and unit_id != actor.unit_id:
        raise Forbidden(_l("You may only record risks of your own unit."),
                        {"unit": [_l("Not your unit.")]})


def prepare(session: Session, actor, data: dict, *, generate_code: bool = True) -> dict:
    """The checked column values of a new risk, its code generated when absent (unless GENERATE_CODE is
    false: the caller numbers it); refuses bad DATA."""
    policy.require(actor, "risk.write")
    errors = FieldErrors()
    values = _clean(data, errors, session, creating=True)
    errors.raise_if_any(_l("The risk was not saved."))
    _require_own_unit(actor, values["unit_id"])
    if generate_code and not values.get("code"):
        values["code"] = new_codes(session, session.get(Unit, values["unit_id"]).code)[0]
    return values


def code_taken(code: str) -> Conflict:
    return Conflict(_l("Risk %(code)s already exists.", code=code), {"code": [_l("Already taken.")]})


def create(session: Session, actor, data: dict) -> Risk:
    """Add a risk to the register; the code is generated when absent."""
    values = prepare(session, actor, data)
    if session.scalar(select(Risk.id).where(Risk.code == values["code"])) is not None:
        raise code_taken(values["code"])
    risk = Risk(**values)
    session.add(risk)
    try:
        session.flush()
    except IntegrityError:
        # The same code typed by someone else a moment ago; the caller rolls this transaction back.
        raise code_taken(values["code"]) from None
    history.record(session, actor, "risk", risk.id, "create",
                   changes=history.diff({}, history.snapshot(risk, TRACKED)))
    return risk


# The model's own column defaults, for rows inserted in bulk (and their history, which shows them).
NEW_RISK_DEFAULTS = {column.key: column.default.arg for column in Risk.__table__.columns
                     if column.default is not None and column.default.is_scalar}


def create_many(session: Session, actor, prepared: list[dict]) -> list[int]:
    """Insert risks PREPARED (and checked for taken codes) in a few statements, each with its history row
    as `create` writes it; returns their ids in order."""
    if not prepared:
        return []
    now = utcnow()
    rows = [{**NEW_RISK_DEFAULTS, "response_strategy": None, **values, "version": 1, "created_at": now,
             "updated_at": now}
            for values in prepared]
    ids = list(session.scalars(insert(Risk).returning(Risk.id, sort_by_parameter_order=True), rows))
    history.record_many(session, actor, "risk", "create",
                        [(risk_id, history.diff({}, {name: row.get(name) for name in TRACKED}))
                         for risk_id, row in zip(ids, rows)])
    return ids


def update(session: Session, actor, risk_id: int, data: dict) -> Risk:
    """Edit a risk; DATA must carry the version read last, and a stale one is refused."""
    risk = get(session, actor, risk_id, "risk.write")
    errors = FieldErrors()
    version_read = versions.read(data, errors, required=True)
    unknown = sorted(set(data) - set(EDITABLE) - {"version", "code"})
    for name in unknown:
        errors.add(name, _l("This field cannot be changed."))
    if "code" in data and data["code"] != risk.code:
        errors.add("code", _l("This field cannot be changed."))
    values = _clean({k: v for k, v in data.items() if k in EDITABLE}, errors, session, creating=False)
    errors.raise_if_any(_l("The risk was not saved."))
    versions.refuse_stale(version_read, risk.version, _l(
        "Someone else changed this risk since you read it (version %(theirs)s, yours %(yours)s); "
        "reload it and make your change again.", theirs=risk.version, yours=version_read))
    if "unit_id" in values:
        _require_own_unit(actor, values["unit_id"])
    before = history.snapshot(risk, TRACKED)
    for name, value in values.items():
        setattr(risk, name, value)
    changes = history.diff(before, history.snapshot(risk, TRACKED))
    if changes:
        session.flush()  # the version column guards against a concurrent writer here
        action = "retire" if changes.get("status") == ["active", "retired"] else "update"
        history.record(session, actor, "risk", risk.id, action, changes=changes)
    return risk


def latest_assessments(session: Session, risk_ids, *, risks_loaded: bool = False) -> dict[int, Assessment]:
    """The newest assessment of each risk in RISK_IDS.

    RISKS_LOADED: the caller holds those risks already, so each grade finds its risk in the session
    instead of loading it (and its category and unit) again."""
    ids = list(risk_ids)
    if not ids:
        return {}
    newest = (select(Assessment.risk_id, func.max(Assessment.period).label("period"))
              .where(Assessment.risk_id.in_(ids)).group_by(Assessment.risk_id).subquery())
    stmt = select(Assessment).join(newest, and_(Assessment.risk_id == newest.c.risk_id,
                                                Assessment.period == newest.c.period))
    if risks_loaded:
        stmt = stmt.options(lazyload(Assessment.risk), joinedload(Assessment.assessed_by).lazyload(User.unit))
    return {a.risk_id: a for a in session.scalars(stmt)}


def query(actor, *, unit: str | None = None, category: str | None = None, level: str | None = None,
          period: str | None = None, q: str | None = None, status: str | None = None,
          likelihood: int | None = None, impact: int | None = None):
    """The statement listing the risks ACTOR may see, filtered, by code.

    With PERIOD, level, likelihood and impact filter that period's grade;
    without it, the newest grade.
    """
    policy.require(actor, "risk.read")
    stmt = select(Risk).order_by(Risk.code)
    scope = policy.scope_unit_id(actor)
    if scope is not None:
        stmt = stmt.where(Risk.unit_id == scope)
    if unit:
        stmt = stmt.join(Unit, Unit.id == Risk.unit_id).where(Unit.code == unit)
    if category:
        parent = aliased(Category)
        stmt = (stmt.join(Category, Category.id == Risk.category_id)
                .outerjoin(parent, parent.id == Category.parent_id)
                .where(or_(Category.code == category, parent.code == category)))
    if status:
        stmt = stmt.where(Risk.status == status)
    if q:
        pattern = f"%{q.strip()}%"
        stmt = stmt.where(or_(Risk.code.ilike(pattern), Risk.title.ilike(pattern)))
    if period or likelihood or impact:
        graded = aliased(Assessment)
        if period:
            stmt = stmt.join(graded, and_(graded.risk_id == Risk.id, graded.period == period))
        else:  # the newest grade, whose month the risk row keeps
            stmt = stmt.join(graded, and_(graded.risk_id == Risk.id, graded.period == Risk.latest_period))
        if level:
            stmt = stmt.where(graded.level == level)
        if likelihood:
            stmt = stmt.where(graded.likelihood == likelihood)
        if impact:
            stmt = stmt.where(graded.impact == impact)
    elif level:
        stmt = stmt.where(Risk.latest_level == level)  # the newest grade's level, kept on the risk
    return stmt


def check_filters(args) -> dict:
    """List filters from a query string, checked: a bad one is a 422 naming it."""
    errors = FieldErrors()
    filters = {name: (args.get(name) or None) for name in ("unit", "category", "level", "period", "q", "status")}
    if filters["level"] and filters["level"] not in grading.LEVELS:
        errors.add("level", one_of(LEVEL_LABELS))
    if filters["period"] and not periods.is_period(filters["period"]):
        errors.add("period", periods.PERIOD_MESSAGE)
    if filters["status"] and filters["status"] not in RISK_STATUSES:
        errors.add("status", one_of(RISK_STATUS_LABELS))
    for name in ("likelihood", "impact"):
        raw = args.get(name)
        if raw:
            try:
                filters[name] = whole(raw)
            except ValueError:
                errors.add(name, WHOLE_MESSAGE)
            else:
                if not 1 <= filters[name] <= grading.MAX_SIZE:
                    errors.add(name, _l("Must be between 1 and %(high)s.", high=grading.MAX_SIZE))
    errors.raise_if_any(_l("Invalid filter."))
    return filters
