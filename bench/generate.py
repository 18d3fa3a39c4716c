"""A company at scale, inserted in bulk with a fixed seed: units, risks, 24 months of grades, warnings,
incidents. (The services are used for everything a user does; here only the volume matters.)"""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from riskflow import periods
from riskflow.auth.models import Unit
from riskflow.db import utcnow
from riskflow.incidents.models import Incident, incident_risks
from riskflow.register import assessments, grading
from riskflow.register.models import Assessment, Category, GradingStandard, Risk, RiskWarning
from riskflow.supervision.models import METHODS, PROJECT_KINDS, Recommendation, SupervisionProject
from riskflow.workflow.store import current_version

CHUNK = 20_000


def company(session, units: int = 20, risks: int = 10_000, months: int = 24, incidents: int = 5_000,
            projects: int = 500, seed: int = 20261122) -> dict:
    """Insert the company; returns what was made."""
    rng = random.Random(seed)
    now = utcnow()
    standard_id = session.scalar(select(GradingStandard.id).order_by(GradingStandard.version.desc()))
    standard = grading.default_standard()
    categories = [c.id for c in session.scalars(select(Category).where(Category.parent_id.is_not(None)))]
    session.execute(insert(Unit), [{"code": f"U{n:02d}", "name": f"第{n}销售分公司", "kind": "sales", "active": True,
                                     "created_at": now} for n in range(1, units + 1)])
    unit_ids = [u.id for u in session.scalars(select(Unit).where(Unit.code.like("U%")).order_by(Unit.code))]
    rows = []
    for n in range(risks):
        unit = unit_ids[n % units]
        rows.append({"code": f"U{n % units + 1:02d}-{n // units + 1:04d}", "title": f"规模测试风险 {n}",
                     "category_id": rng.choice(categories), "unit_id": unit, "owner": "", "source": "",
                     "causes": "", "response_strategy": "reduce", "measures": "", "status": "active", "version": 1,
                     "created_at": now, "updated_at": now})
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(Risk), rows[start:start + CHUNK])
    risk_ids = list(session.scalars(select(Risk.id).where(Risk.code.like("U%")).order_by(Risk.id)))
    last = periods.previous(periods.current())
    month_list = [periods.shift(last, -k) for k in range(months - 1, -1, -1)]
    base = {rid: (rng.randint(1, 5), rng.randint(1, 5)) for rid in risk_ids}
    batch = []
    for period in month_list:
        for rid in risk_ids:
            l0, i0 = base[rid]
            l, i = max(1, min(5, l0 + rng.choice((-1, 0, 0, 1)))), i0
            score, level = grading.grade(standard, l, i)
            batch.append({"risk_id": rid, "period": period, "likelihood": l, "impact": i, "score": score,
                          "level": level, "standard_id": standard_id, "rationale": "", "assessed_at": now,
                          "revision": 1})
            if len(batch) >= CHUNK:
                session.execute(insert(Assessment), batch)
                batch = []
    if batch:
        session.execute(insert(Assessment), batch)
    assessments.note_latest(session)
    warned = session.execute(select(Assessment.risk_id, Assessment.level).where(
        Assessment.period == last, Assessment.level.in_(("significant", "major")))).all()
    session.execute(insert(RiskWarning), [{"risk_id": rid, "period": last, "level": level, "reason": "level",
                                           "response": "", "progress": 0, "status": "open", "created_at": now,
                                           "updated_at": now} for rid, level in warned])
    today = periods.today()
    made = []
    for n in range(incidents):
        occurred = today - timedelta(days=rng.randrange(1, 730))
        made.append({"code": f"SJ-B-{n:05d}", "title": f"规模测试事件 {n}", "kind": rng.choice(("loss_event", "near_miss")),
                     "unit_id": rng.choice(unit_ids), "occurred_on": occurred, "discovered_on": occurred,
                     "recorded_on": occurred, "quarter": periods.quarter_of(occurred), "gross_loss": rng.randrange(0, 100000),
                     "recoveries": 0, "reputation": 0, "compliance": 0, "safety": 0, "environment": 0, "operations": 0,
                     "description": "", "cause": "", "handling": "", "lessons": "", "corrective_action": "",
                     "action_owner": "", "action_done": False, "state": "reported", "workflow_version": 1, "version": 1,
                     "created_at": now})
    session.execute(insert(Incident), made)
    incident_ids = list(session.scalars(select(Incident.id).where(Incident.code.like("SJ-B-%"))))
    session.execute(insert(incident_risks), [{"incident_id": iid, "risk_id": rng.choice(risk_ids)}
                                             for iid in incident_ids])
    made_projects, recommendations = supervision(session, rng, unit_ids, projects, today, now)
    return {"units": units, "risks": len(risk_ids), "projects": made_projects, "recommendations": recommendations, "assessments": len(risk_ids) * months,
            "warnings": len(warned), "incidents": len(incident_ids), "period": last, "date": date.today()}


PROJECT_STATES = ("setup", "monitoring", "recommendation", "rectification", "rectification", "closed")
RECOMMENDATION_STATES = ("issued", "in_progress", "in_progress", "submitted", "verified", "verified")


def supervision(session, rng, unit_ids, projects: int, today: date, now, per_project: int = 10) -> tuple[int, int]:
    """PROJECTS supervision projects over two years, each with PER_PROJECT recommendations."""
    project_version = current_version(session, "supervision_project")
    recommendation_version = current_version(session, "recommendation")
    rows = []
    for n in range(projects):
        year = today.year - (n % 2)
        rows.append({"code": f"XJ-B-{n:05d}", "year": year, "title": f"规模测试监察项目 {n}",
                     "kind": rng.choice(PROJECT_KINDS), "method": rng.choice(METHODS), "lead_unit_id": rng.choice(unit_ids),
                     "reason": "", "scope": "", "control_points": "", "plan": "", "start_date": date(year, 1, 1),
                     "end_date": date(year, 12, 31), "economic_benefit": rng.randrange(0, 500000), "indirect_benefit": "",
                     "state": rng.choice(PROJECT_STATES), "workflow_version": project_version, "version": 1,
                     "created_at": now})
    session.execute(insert(SupervisionProject), rows)
    project_ids = list(session.scalars(select(SupervisionProject.id).where(SupervisionProject.code.like("XJ-B-%"))
                                       .order_by(SupervisionProject.id)))
    letters = []
    for n, project_id in enumerate(project_ids):
        for k in range(per_project):
            number = n * per_project + k + 1
            state = rng.choice(RECOMMENDATION_STATES)
            letters.append({"project_id": project_id, "letter_no": f"监建〔B〕{number}号", "finding": f"发现问题 {number}",
                            "basis": "", "recommendation": f"监察建议 {number}", "responsible_unit_id": rng.choice(unit_ids),
                            "due_date": today + timedelta(days=rng.randrange(-240, 120)), "state": state,
                            "workflow_version": recommendation_version, "version": 1, "rectification_report": "",
                            "verified_at": now if state == "verified" else None, "created_at": now})
    session.execute(insert(Recommendation), letters)
    return len(project_ids), len(letters)


INDICATOR_RULES = ("above_budget", "below_budget", "below_target", "above_target", "behind_progress")


def indicators(session, count: int = 1_000, months: int = 24, breaches: int = 200, seed: int = 20261206) -> dict:
    """COUNT indicators spread over the units (a fifth of each rule; the budget ceilings carry overruns over),
    with targets for each year and MONTHS months of values up to last month, judged by the rules; last month
    has exactly BREACHES breaches, each with its warning (as every other breached month has)."""
    from decimal import Decimal

    from riskflow.indicators import rules
    from riskflow.indicators.models import Indicator, IndicatorTarget, IndicatorValue

    rng = random.Random(seed)
    now = utcnow()
    unit_ids = [u.id for u in session.scalars(select(Unit).where(Unit.code.like("U%")).order_by(Unit.code))]
    last = periods.previous(periods.current())
    span = [periods.shift(last, -k) for k in range(months - 1, -1, -1)]
    years = sorted({int(p[:4]) for p in span})
    session.execute(insert(Indicator), [
        {"code": f"U{n % len(unit_ids) + 1:02d}-I{n:04d}", "name": f"规模测试指标 {n}", "unit_id": unit_ids[n % len(unit_ids)],
         "measure": "万元", "rule": INDICATOR_RULES[n % 5], "carry_over": INDICATOR_RULES[n % 5] == "above_budget",
         "plan": None, "active": True, "created_at": now, "version": 1} for n in range(count)])
    made = list(session.execute(select(Indicator.id, Indicator.rule, Indicator.carry_over).where(
        Indicator.code.like("U%-I%")).order_by(Indicator.id)))
    breached_last = set(rng.sample([i for i, _, _ in made], breaches))
    budget = [Decimal(100 + 10 * (m % 4)) for m in range(12)]
    targets, values, warned = [], [], []
    for indicator_id, rule, carry in made:
        for year in years:
            targets.append({"indicator_id": indicator_id, "year": year, "annual": sum(budget), "updated_at": now,
                            **{f"m{m + 1:02d}": budget[m] for m in range(12)}})
            months_of_year = [p for p in span if int(p[:4]) == year]
            entered: list[Decimal | None] = [None] * 12
            for period in months_of_year:
                month = int(period[5:])
                above = rule.startswith("above")
                if period == last:
                    # Judge the months before, then put last month on the side its rule breaches (or not).
                    judged = rules.judge_year(rule, carry, sum(budget), budget, entered)[month - 1]
                    compared = {"above_target": sum(budget), "below_target": sum(budget)}.get(
                        rule, judged.effective_budget)
                    miss = indicator_id in breached_last
                    if rule == "behind_progress":
                        before = sum((v for v in entered if v is not None), Decimal(0))
                        needed = rules.progress_target(sum(budget), month) - before
                        entered[month - 1] = needed - 5 if miss else needed + 5
                    else:
                        entered[month - 1] = compared + (5 if above == miss else -5)
                else:
                    scale = sum(budget) if rule.endswith("target") else budget[month - 1]
                    entered[month - 1] = (scale * Decimal(rng.uniform(0.9, 1.1))).quantize(Decimal("0.01"))
            annual = sum(budget)
            for j in rules.judge_year(rule, carry, annual, budget, entered):
                if j.value is None:
                    continue
                period = f"{year:04d}-{j.month:02d}"
                values.append({"indicator_id": indicator_id, "period": period, "value": j.value, "ytd": j.ytd,
                               "compared_with": j.compared_with, "variance": j.variance, "breached": j.breached,
                               "recorded_at": now})
                if j.breached:
                    warned.append({"indicator_id": indicator_id, "period": period, "reason": "indicator",
                                   "response": "", "explanation": "", "progress": 0, "status": "open",
                                   "created_at": now, "updated_at": now})
    session.execute(insert(IndicatorTarget), targets)
    for start in range(0, len(values), CHUNK):
        session.execute(insert(IndicatorValue), values[start:start + CHUNK])
    session.execute(insert(RiskWarning), warned)
    last_breaches = sum(1 for v in values if v["period"] == last and v["breached"])
    return {"indicators": len(made), "indicator_values": len(values), "indicator_breaches": last_breaches}


ACTION_STATES = ("open", "in_progress", "in_progress", "submitted", "done", "done", "cancelled")


def actions(session, warnings: int = 10_000, per_warning: int = 5, seed: int = 20261207) -> dict:
    """PER_WARNING actions on each of WARNINGS warnings (the newest first; when the months on file have fewer,
    the earlier months' significant and major grades get their warnings too, as they would have had), owned by
    each unit's officer or head, due over the months around today. Returns what was made and a unit officer's
    username."""
    from riskflow.actions.models import Action
    from riskflow.auth import policy
    from riskflow.auth import service as auth_service
    from riskflow.indicators.models import Indicator

    rng = random.Random(seed)
    now = utcnow()
    today = periods.today()
    units = list(session.scalars(select(Unit).where(Unit.code.like("U%")).order_by(Unit.code)))
    owners = {}
    for unit in units:
        owners[unit.id] = [auth_service.create_user(session, policy.SYSTEM, f"{role}_{unit.code.lower()}", role,
                                                    "bench-password-1", unit_code=unit.code).id
                           for role in ("risk_officer", "unit_head")]
    period = periods.previous(periods.current())
    while session.scalar(select(func.count(RiskWarning.id))) < warnings:
        period = periods.previous(period)
        graded = session.execute(select(Assessment.risk_id, Assessment.level).where(
            Assessment.period == period, Assessment.level.in_(("significant", "major")))).all()
        if not graded:
            break
        session.execute(insert(RiskWarning), [
            {"risk_id": rid, "period": period, "level": level, "reason": "level", "response": "已制定应对措施",
             "progress": 0, "status": "in_progress", "created_at": now, "updated_at": now} for rid, level in graded])
    chosen = session.execute(
        select(RiskWarning.id, RiskWarning.risk_id, func.coalesce(Risk.unit_id, Indicator.unit_id))
        .outerjoin(Risk, Risk.id == RiskWarning.risk_id).outerjoin(Indicator, Indicator.id == RiskWarning.indicator_id)
        .order_by(RiskWarning.period.desc(), RiskWarning.id).limit(warnings)).all()
    version = current_version(session, "action")
    rows, n = [], 0
    for warning_id, risk_id, unit_id in chosen:
        unit_id = unit_id or units[warning_id % len(units)].id  # a company-wide indicator's: some unit's people
        for _ in range(per_warning):
            n += 1
            state = rng.choice(ACTION_STATES)
            rows.append({"code": f"CS-B-{n:06d}", "title": f"规模测试措施 {n}", "description": "",
                         "owner_id": rng.choice(owners[unit_id]), "unit_id": unit_id,
                         "due_date": today + timedelta(days=rng.randrange(-90, 60)), "risk_id": risk_id,
                         "warning_id": warning_id, "state": state, "workflow_version": version, "version": 1,
                         "report": "已完成" if state in ("submitted", "done") else "", "created_at": now,
                         "updated_at": now})
            if len(rows) >= CHUNK:
                session.execute(insert(Action), rows)
                rows = []
    if rows:
        session.execute(insert(Action), rows)
    return {"actions": n, "action_warnings": len(chosen), "action_unit_user": f"risk_officer_{units[4].code.lower()}"}


def robots(session) -> dict:
    """A group robot on every other unit (U02, U04, …): their notifications are also queued for the group. The
    address is never called (the bench only queues)."""
    units = list(session.scalars(select(Unit).where(Unit.code.like("U%")).order_by(Unit.code)))
    for n, unit in enumerate(units):
        if n % 2:
            unit.webhook_url = f"http://127.0.0.1:9/robot/{unit.code}"
    session.flush()
    return {"robot_units": len(units) // 2}
