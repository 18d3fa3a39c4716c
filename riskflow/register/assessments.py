"""Monthly grading: one assessment per risk and period, revisions kept in the history."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import history, periods, versions
from ..auth import policy
from ..db import utcnow
from ..errors import Conflict, FieldErrors, Invalid, NotFound
from . import grading, rounds, sheets, warnings
from .models import Assessment, Risk
from .risks import get as get_risk
from .standard import current as current_standard

TRACKED = ("likelihood", "impact", "impacts", "score", "level", "rationale", "standard_id")

history.register_entity("assessment", lambda session, id_: session.get(Assessment, id_))
# Who may record (or revise) the grade of any past month, not only the months open for grading.
policy.allow("assessment.history", policy.MANAGERS)


def check_period(value, errors: FieldErrors, field: str = "period") -> str | None:
    """A well-formed period that is not in the future, or None with the error added."""
    if not isinstance(value, str):
        errors.add(field, _l("Use YYYY-MM, for example 2026-07."))
        return None
    try:
        periods.parse(value)
    except ValueError:
        errors.add(field, _l("Use YYYY-MM, for example 2026-07."))
        return None
    if periods.is_future(value):
        errors.add(field, _l("%(period)s is in the future.", period=value))
        return None
    return value


def check_month(session: Session, actor, risk: Risk, period: str) -> None:
    """Refuse a month ACTOR may not grade RISK for: Invalid, at `period`.

    Which months a grade may be recorded or revised for:
    - never a future month, whoever asks (check_period);
    - a risk officer grades the current month, or a month whose grading round is open for the unit (opened
      and before its deadline, or reopened for the unit). A month long past is then not graded by a slip
      of the keyboard (2001-01 for 2026-01), and a month the unit has closed stays as it was submitted;
    - the risk manager and the administrator, and imports run on the server, may record any past month:
      a company moving to riskflow brings last year's grades. There is no floor at the first grading
      standard: the standard is loaded when riskflow is installed, after the history that comes with it.
    A closed round refuses every grade of its month for the unit, whoever asks (rounds.require_open).
    """
    if may_grade_month(session, actor, risk.unit_id, period):
        return
    raise Invalid.field("period", _l(
        "You grade the current month (%(current)s) or a month whose grading round is open for your unit; "
        "%(period)s is neither. Ask the risk manager to open or reopen its round.",
        current=periods.current(), period=period))


def may_grade_month(session: Session, actor, unit_id: int, period: str) -> bool:
    """True when ACTOR may grade UNIT_ID's risks for the past or current month PERIOD (see check_month)."""
    return (policy.can(actor, "assessment.history") or period == periods.current()
            or rounds.has_open_round(session, period, unit_id))


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_grade(standard: grading.Standard, data: dict, errors: FieldErrors) -> dict:
    """Likelihood, impact (the worst dimension when given per dimension), score and level."""
    n_l, n_i = len(standard.likelihood), len(standard.impact)
    likelihood = data.get("likelihood")
    if not _whole(likelihood) or not 1 <= likelihood <= n_l:
        errors.add("likelihood", _l("A whole number from 1 to %(n)d.", n=n_l))
    impacts = data.get("impacts") or None
    impact = data.get("impact")
    if impacts is not None:
        if not isinstance(impacts, dict):
            errors.add("impacts", _l("An object of dimension: level."))
            impacts = None
        else:
            for name, value in impacts.items():
                if name not in grading.IMPACT_DIMENSIONS:
                    errors.add("impacts", _l("Unknown dimension %(name)s; one of: %(names)s.", name=name,
                                             names=", ".join(grading.IMPACT_DIMENSIONS)))
                elif not _whole(value) or not 1 <= value <= n_i:
                    errors.add("impacts", _l("%(name)s: a whole number from 1 to %(n)d.", name=name, n=n_i))
            if impacts and not errors.errors.get("impacts"):
                worst = grading.worst_impact(impacts)
                if impact is None:
                    impact = worst
                elif impact != worst:
                    errors.add("impact", _l("The impact is the worst dimension: %(n)d.", n=worst))
    if not _whole(impact) or not 1 <= impact <= n_i:
        errors.add("impact", _l("A whole number from 1 to %(n)d.", n=n_i))
    rationale = data.get("rationale") or ""
    if not isinstance(rationale, str):
        errors.add("rationale", _l("Must be text."))
    elif len(rationale) > 4000:
        errors.add("rationale", _l("At most %(n)d characters.", n=4000))
    if errors:
        return {}
    score, level = grading.grade(standard, likelihood, impact)
    return {"likelihood": likelihood, "impact": impact, "impacts": impacts, "score": score, "level": level,
            "rationale": rationale.strip()}


def check_reason(session: Session, risk_id: int, period: str, values: dict, errors: FieldErrors) -> None:
    """The reason rule of the grading pages: a grade that differs from last month's (or follows no grade
    last month) gives its reason, at `rationale`.

    The pages ask for it (record and revise with `require_reason`); the API and imports do not, since the
    contract leaves `rationale` optional and a company's history arrives with the reasons it has."""
    if values.get("rationale"):
        return
    last = find(session, risk_id, periods.previous(period))
    previous = (last.likelihood, last.impact) if last is not None else None
    if not grading.needs_reason(values["likelihood"], values["impact"], previous):
        return
    errors.add("rationale", _l("A grade that differs from last month's needs a reason.") if last is not None
               else _l("There is no grade for last month: give the reason for this one."))


def find(session: Session, risk_id: int, period: str) -> Assessment | None:
    """The grade of RISK_ID for PERIOD, or None."""
    return session.scalar(select(Assessment).where(Assessment.risk_id == risk_id, Assessment.period == period))


def record(session: Session, actor, risk_id: int, data: dict, *, require_reason: bool = False) -> Assessment:
    """Grade a risk for a period; a second grade for the same period is a Conflict.

    REQUIRE_REASON applies check_reason (the grading pages)."""
    risk = get_risk(session, actor, risk_id, "assessment.write")
    standard_row, standard = current_standard(session)
    errors = FieldErrors()
    period = check_period(data.get("period"), errors)
    values = _check_grade(standard, data, errors)
    if require_reason and period is not None and values:
        check_reason(session, risk.id, period, values, errors)
    errors.raise_if_any(_l("The grade was not saved."))
    if risk.status != "active":
        raise Conflict(_l("Risk %(code)s is retired and is no longer graded.", code=risk.code))
    if find(session, risk.id, period) is not None:
        raise Conflict(_l("%(code)s is already graded for %(period)s; revise that grade instead.",
                          code=risk.code, period=period), {"period": [_l("Already graded.")]})
    rounds.require_open(session, period, risk.unit_id)
    sheets.require_grading(session, period, risk.unit_id)
    check_month(session, actor, risk, period)
    assessment = Assessment(risk_id=risk.id, period=period, standard_id=standard_row.id,
                            assessed_by_id=actor.id, **values)
    session.add(assessment)
    session.flush()
    history.record(session, actor, "assessment", assessment.id, "create",
                   changes=history.diff({}, history.snapshot(assessment, ("period",) + TRACKED)))
    history.record(session, actor, "risk", risk.id, "grade",
                   changes={"period": [None, period], "level": [None, assessment.level]})
    note_latest(session, [risk.id])
    warnings.refresh_around(session, risk, period)
    return assessment


def note_latest(session: Session, risk_ids=None) -> None:
    """Copy each risk's newest grade (month and level) onto the risk row; every risk when RISK_IDS is None.

    A plain UPDATE: the risk's version and its updated_at stay as they were, so grading never makes
    someone's open edit of the risk stale."""
    newest = (select(Assessment.period, Assessment.level).where(Assessment.risk_id == Risk.id)
              .order_by(Assessment.period.desc()).limit(1))
    stmt = (update(Risk).values(latest_period=newest.with_only_columns(Assessment.period).scalar_subquery(),
                                latest_level=newest.with_only_columns(Assessment.level).scalar_subquery(),
                                updated_at=Risk.updated_at)
            .execution_options(synchronize_session=False))
    if risk_ids is not None:
        stmt = stmt.where(Risk.id.in_(list(risk_ids)))
    session.execute(stmt)


def revise(session: Session, actor, risk_id: int, period: str, data: dict, *,
           require_reason: bool = False) -> Assessment:
    """Change a period's grade; the old values, author and time stay in the history.

    With the `version` read last, a grade someone changed since is refused (Conflict); without it the
    revision applies. The reviser becomes the grade's assessor, as of now: the grade is theirs.
    REQUIRE_REASON applies check_reason (the grading pages)."""
    risk = get_risk(session, actor, risk_id, "assessment.write")
    assessment = find(session, risk.id, period)
    if assessment is None:
        raise NotFound(_l("%(code)s has no grade for %(period)s.", code=risk.code, period=period))
    standard_row, standard = current_standard(session)
    errors = FieldErrors()
    version_read = versions.read(data, errors)
    values = _check_grade(standard, data, errors)
    if require_reason and values:
        check_reason(session, risk.id, period, values, errors)
    errors.raise_if_any(_l("The grade was not saved."))
    versions.refuse_stale(version_read, assessment.version, _l(
        "Someone else changed the grade of %(code)s for %(period)s since you read it (version %(theirs)s, "
        "yours %(yours)s); reload it and make your change again.", code=risk.code, period=period,
        theirs=assessment.version, yours=version_read))
    rounds.require_open(session, period, risk.unit_id)
    sheets.require_grading(session, period, risk.unit_id)
    check_month(session, actor, risk, period)
    before = history.snapshot(assessment, TRACKED)
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.standard_id = standard_row.id
    changes = history.diff(before, history.snapshot(assessment, TRACKED))
    if changes:
        assessment.revision += 1
        assessment.assessed_by_id = actor.id
        assessment.assessed_at = utcnow()
        session.flush()  # the version column guards against a concurrent reviser here
        session.expire(assessment, ["assessed_by"])  # the reviser, loaded again when asked for
        history.record(session, actor, "assessment", assessment.id, "revise", changes=changes)
        note_latest(session, [risk.id])
        warnings.refresh_around(session, risk, period)
    return assessment


def list_for(session: Session, actor, risk_id: int) -> list[Assessment]:
    """A risk's grades, oldest period first."""
    risk = get_risk(session, actor, risk_id)
    stmt = select(Assessment).where(Assessment.risk_id == risk.id).order_by(Assessment.period)
    return list(session.scalars(stmt))
