"""Links between supervision and the risk register: the risks a project's control points and a recommendation's
finding name (one checker for both), and, seen from a risk, the projects and recommendations naming it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth import policy
from ..db import valid_id
from ..errors import FieldErrors
from ..register.models import Risk
from .models import Recommendation, SupervisionProject, project_risks, recommendation_risks

# The page's text of codes: `BJ-001, SH-003` (commas, the Chinese comma 、/，, semicolons or spaces between).
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def codes_text(risks) -> str:
    """RISKS as the page's field shows them: their codes, comma separated."""
    return ", ".join(risk.code for risk in risks)


def named_risks(session: Session, data: dict, errors: FieldErrors, current=(), actor=None) -> list[Risk]:
    """The risks DATA names: `risk_ids` (the API: a list of ids, each at `risk_ids`) or `risk_codes` (the pages:
    a text of codes, at `risk_codes`). An unknown id or code is refused naming it; a retired risk may stay
    where it was named (CURRENT) but is not named anew. Each risk once, by code. For ACTOR (a unit head editing
    their proposal) another unit's risk is unknown, and those of CURRENT they cannot see stay named."""
    if "risk_codes" in data:
        field, wanted = "risk_codes", _codes(data.get("risk_codes"), errors)
        found = {r.code.upper(): r for r in session.scalars(select(Risk).where(Risk.code.in_(
            {code for code in wanted} | {code.upper() for code in wanted}))).all()} if wanted else {}
        lookup = [(code, found.get(code.upper())) for code in wanted]
    else:
        field, raw = "risk_ids", data.get("risk_ids")
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            errors.add(field, _l("A list of risk ids."))
            raw = []
        ids = [value for value in raw if valid_id(value)]
        found = {r.id: r for r in session.scalars(select(Risk).where(Risk.id.in_(ids)))} if ids else {}
        lookup = [(value, found.get(value) if valid_id(value) else None) for value in raw]
    kept = {risk.id for risk in current}
    # Named by the inspection office, out of ACTOR's sight: not theirs to remove (they cannot send them back).
    risks: list[Risk] = [risk for risk in current if actor is not None and not policy.in_scope(actor, risk)]
    for asked, risk in lookup:
        if risk is not None and actor is not None and not policy.in_scope(actor, risk):
            risk = None  # another unit's risk reads as unknown: its id or code tells nothing
        if risk is None:
            errors.add(field, _l("Unknown risk %(id)s.", id=asked))
        elif risk.status != "active" and risk.id not in kept:
            errors.add(field, _l("Risk %(code)s is retired and cannot be named.", code=risk.code))
        elif risk not in risks:
            risks.append(risk)
    return sorted(risks, key=lambda risk: risk.code)  # as the item lists them when read again


def _codes(text, errors: FieldErrors) -> list[str]:
    if text is None:
        return []
    if not isinstance(text, str):
        errors.add("risk_codes", _l("Must be text."))
        return []
    if len(text) > 4000:
        errors.add("risk_codes", _l("At most %(n)d characters.", n=4000))
        return []
    return [code for code in _SEPARATORS.split(text.strip()) if code]


def sends_risks(data: dict) -> bool:
    """True when DATA names risks (either way)."""
    return "risk_ids" in data or "risk_codes" in data


def visible_risks(actor, item) -> list[Risk]:
    """The risks ITEM (a project or recommendation) names that ACTOR may see: a unit's roles their unit's."""
    return sorted((risk for risk in item.risks if policy.in_scope(actor, risk)), key=lambda risk: risk.code)


@dataclass
class RiskLinks:
    """What names a risk: projects (by their control points) and recommendations (by their finding)."""

    projects: list[SupervisionProject]
    recommendations: list[Recommendation]


def links_of_risk(session: Session, actor, risk: Risk) -> RiskLinks:
    """The projects and recommendations naming RISK that ACTOR may see: a unit's roles, the projects in their
    scope and the recommendations addressed to their unit (the supervision service's own queries)."""
    from .service import project_query, recommendation_query

    projects = project_query(actor).where(SupervisionProject.id.in_(
        select(project_risks.c.project_id).where(project_risks.c.risk_id == risk.id)))
    recs = recommendation_query(actor).where(Recommendation.id.in_(
        select(recommendation_risks.c.recommendation_id).where(recommendation_risks.c.risk_id == risk.id)))
    return RiskLinks(list(session.scalars(projects)), list(session.scalars(recs)))


def links_json(links: RiskLinks) -> dict:
    """A risk's supervision links as the API gives them."""
    return {
        "projects": [{"id": p.id, "code": p.code, "title": p.title, "state": p.state} for p in links.projects],
        "recommendations": [{"id": r.id, "letter_no": r.letter_no, "project_id": r.project_id, "state": r.state}
                            for r in links.recommendations],
    }
