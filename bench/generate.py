"""A company at scale, inserted in bulk with a fixed seed: units, risks, 24 months of grades, warnings,
incidents. (The services are used for everything a user does; here only the volume matters.)"""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from riskflow import periods
from riskflow.auth.models import Unit
from riskflow.db import utcnow
from riskflow.incidents.models import Incident, incident_risks
from riskflow.register import grading
from riskflow.register.models import Assessment, Category, GradingStandard, Risk, RiskWarning

CHUNK = 20_000


def company(session, units: int = 20, risks: int = 10_000, months: int = 24, incidents: int = 5_000,
            seed: int = 20261122) -> dict:
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
    return {"units": units, "risks": len(risk_ids), "assessments": len(risk_ids) * months,
            "warnings": len(warned), "incidents": len(incident_ids), "period": last, "date": date.today()}
