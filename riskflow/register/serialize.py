"""The API's JSON views of register rows."""
from __future__ import annotations

from .models import Assessment, Risk, RiskWarning


def assessment_json(a: Assessment) -> dict:
    body = {
        "id": a.id, "risk_id": a.risk_id, "period": a.period, "likelihood": a.likelihood, "impact": a.impact,
        "score": a.score, "level": a.level, "rationale": a.rationale,
        "assessed_by": a.assessed_by.username if a.assessed_by else None,
        "assessed_at": a.assessed_at.isoformat(), "revision": a.revision, "standard_id": a.standard_id, "version": a.version,
    }
    if a.impacts:
        body["impacts"] = a.impacts
    return body


def risk_json(risk: Risk, latest: Assessment | None) -> dict:
    return {
        "id": risk.id, "code": risk.code, "title": risk.title, "category": risk.category.code,
        "unit": risk.unit.code, "owner": risk.owner, "source": risk.source, "causes": risk.causes,
        "response_strategy": risk.response_strategy, "measures": risk.measures, "status": risk.status,
        "version": risk.version, "latest": assessment_json(latest) if latest else None,
    }


def warning_json(w: RiskWarning) -> dict:
    return {
        "id": w.id, "risk_id": w.risk_id, "indicator_id": w.indicator_id, "code": w.code, "title": w.title,
        "unit": w.unit.code if w.unit else None, "period": w.period, "level": w.level, "reason": w.reason,
        "previous_level": w.previous_level, "response": w.response, "progress": w.progress, "status": w.status,
        "cause": w.cause, "explanation": w.explanation, "version": w.version,
    }
