"""Direct economic benefits (直接经济效益): entries in yuan by kind, each maybe produced by one of the project's
recommendations; the project's `economic_benefit` is their sum (a column property, never typed)."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import history, values
from ..auth import policy
from ..errors import Conflict, FieldErrors
from ..validation import MAX_YUAN, one_of, texts
from .editing import project_editable
from .labels import BENEFIT_KIND_LABELS
from .models import Recommendation, SupervisionBenefit, SupervisionProject
from .service import get_project

def amount_of(value, errors: FieldErrors, field: str = "amount") -> Decimal | None:
    """A benefit's amount: a positive number of yuan, to the fen."""
    if isinstance(value, bool) or value in (None, ""):
        errors.add(field, _l("A positive amount in yuan."))
        return None
    try:
        amount = values.decimal(value)
    except ValueError:
        errors.add(field, values.NUMBER_MESSAGE)
        return None
    if amount <= 0 or amount >= MAX_YUAN:
        errors.add(field, _l("A positive amount in yuan."))
        return None
    return amount.quantize(Decimal("0.01"))


def benefit_values(session: Session, project: SupervisionProject, data: dict, errors: FieldErrors) -> dict:
    """The checked values of a benefit of PROJECT: amount, kind, description and the recommendation (of this
    project) that produced it, if any."""
    result = texts(data, {"description": 4000}, errors)
    result["amount"] = amount_of(data.get("amount"), errors)
    kind = data.get("kind")
    if kind not in BENEFIT_KIND_LABELS:
        errors.add("kind", one_of(BENEFIT_KIND_LABELS))
    result["kind"] = kind
    rec_id = data.get("recommendation_id")
    result["recommendation_id"] = None
    if rec_id not in (None, ""):
        rec_id = rec_id if isinstance(rec_id, int) and not isinstance(rec_id, bool) else values.whole_or(
            rec_id if isinstance(rec_id, str) else "", None)
        rec = session.get(Recommendation, rec_id) if rec_id is not None else None
        if rec is None or rec.project_id != project.id:
            errors.add("recommendation_id", _l("Not a recommendation of this project."))
        else:
            result["recommendation_id"] = rec.id
    return result


def add_benefit(session: Session, actor, project_id: int, data: dict, *, check_open: bool = True) -> SupervisionBenefit:
    """Record a benefit of a project (an inspector, while the project is open)."""
    project = get_project(session, actor, project_id)
    policy.require(actor, "supervision.manage", project)
    if check_open and not project_editable(project):
        raise Conflict(_l("A closed or cancelled project can no longer be changed."),
                       {"amount": [_l("Not possible now.")]})
    errors = FieldErrors()
    checked = benefit_values(session, project, data, errors)
    errors.raise_if_any(_l("The benefit was not saved."))
    benefit = SupervisionBenefit(project_id=project.id, created_by_id=getattr(actor, "id", None), **checked)
    session.add(benefit)
    session.flush()
    history.record(session, actor, "supervision_project", project.id, "benefit",
                   changes={"amount": [None, str(benefit.amount)], "kind": [None, benefit.kind]})
    session.expire(project, ["economic_benefit"])
    return benefit


def of_project(session: Session, project_id: int) -> list[SupervisionBenefit]:
    """A project's benefits, oldest first."""
    return list(session.scalars(select(SupervisionBenefit).where(SupervisionBenefit.project_id == project_id)
                                .order_by(SupervisionBenefit.id)))
