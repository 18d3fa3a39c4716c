"""Direct economic benefits (直接经济效益): entries in yuan by kind, each maybe produced by one of the project's
recommendations; the project's `economic_benefit` is their sum (a column property, never typed)."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import attachments, history, values
from ..auth import policy
from ..errors import Conflict, FieldErrors, NotFound
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
    # Checked to the fen as stored: 0.001 would be kept as a benefit of 0.00.
    amount = amount.quantize(Decimal("0.01")) if amount.is_finite() and abs(amount) < MAX_YUAN else amount
    if amount <= 0 or amount >= MAX_YUAN:
        errors.add(field, _l("A positive amount in yuan."))
        return None
    return amount


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


# A unit's proposal waiting for the inspection office (or sent back): nothing has been supervised yet.
UNFILED = ("proposed", "returned")


def add_benefit(session: Session, actor, project_id: int, data: dict, *, check_open: bool = True) -> SupervisionBenefit:
    """Record a benefit of a project (an inspector, while the project is open)."""
    project = get_project(session, actor, project_id)
    policy.require(actor, "supervision.manage", project)
    if check_open and not project_editable(project):
        raise Conflict(_l("A closed or cancelled project can no longer be changed."),
                       {"amount": [_l("Not possible now.")]})
    if project.state in UNFILED:
        raise Conflict(_l("A unit's proposal records benefits once the inspection office files it."),
                       {"amount": [_l("Not possible now.")]})
    errors = FieldErrors()
    checked = benefit_values(session, project, data, errors)
    errors.raise_if_any(_l("The benefit was not saved."))
    benefit = SupervisionBenefit(project_id=project.id, created_by_id=getattr(actor, "id", None), **checked)
    session.add(benefit)
    session.flush()
    history.record(session, actor, "supervision_project", project.id, "benefit",
                   changes={name: [None, value] for name, value in _entry(benefit).items()})
    session.expire(project, ["economic_benefit"])
    return benefit


def _entry(benefit: SupervisionBenefit) -> dict:
    """A benefit as the project's history shows it. The recommendation's letter no. lets the history hide the
    entry from the units the recommendation is not addressed to (service._unit_recommended_to)."""
    entry = {"amount": str(benefit.amount), "kind": benefit.kind}
    if benefit.recommendation is not None:
        entry["recommendation"] = benefit.recommendation.letter_no
    if benefit.description:
        entry["description"] = benefit.description
    return entry


def is_visible(actor, benefit: SupervisionBenefit) -> bool:
    """True when ACTOR may see BENEFIT of a project they may see: a unit's roles see the benefits produced by
    their own unit's recommendations and those produced by none, never another unit's."""
    return benefit.recommendation is None or policy.in_scope(actor, benefit.recommendation)


def get_benefit(session: Session, actor, benefit_id: int) -> SupervisionBenefit:
    """One benefit ACTOR may see (another unit's, or one of a project they may not see, is not found)."""
    benefit = session.get(SupervisionBenefit, benefit_id)
    if benefit is None or not is_visible(actor, benefit):
        raise NotFound(_l("Not found."))
    get_project(session, actor, benefit.project_id)
    return benefit


def visible_of_project(session: Session, actor, project: SupervisionProject) -> list[SupervisionBenefit]:
    """The benefits of PROJECT that ACTOR may see, oldest first."""
    return [b for b in of_project(session, project.id) if is_visible(actor, b)]


def visible_total(session: Session, actor, project: SupervisionProject) -> Decimal:
    """PROJECT's direct economic benefit as ACTOR may know it: the whole sum for the company's roles; for a unit's
    roles the sum of the benefits they may see (another unit's recommendation's would show in the total)."""
    if not policy.is_unit_scoped(actor):
        return project.economic_benefit
    return totals(visible_of_project(session, actor, project))[0]


def totals(benefits: list[SupervisionBenefit]) -> tuple[Decimal, dict[str, Decimal]]:
    """The sum of BENEFITS and the sum of each kind among them (the kinds in BENEFIT_KIND_LABELS' order)."""
    by_kind = {kind: sum((b.amount for b in benefits if b.kind == kind), Decimal("0.00"))
               for kind in BENEFIT_KIND_LABELS}
    return sum(by_kind.values(), Decimal("0.00")), {k: v for k, v in by_kind.items() if v}


def delete_benefit(session: Session, actor, benefit_id: int) -> SupervisionProject:
    """Remove a benefit recorded by mistake (an inspector, while the project is open); the project's history
    keeps what it was. Its evidence files stay in the archive, out of reach."""
    benefit = get_benefit(session, actor, benefit_id)
    project = benefit.project
    policy.require(actor, "supervision.manage", project)
    if not project_editable(project):
        raise Conflict(_l("A closed or cancelled project can no longer be changed."))
    history.record(session, actor, "supervision_project", project.id, "benefit_deleted",
                   changes={name: [value, None] for name, value in _entry(benefit).items()})
    session.delete(benefit)
    session.flush()
    session.expire(project, ["economic_benefit"])
    return project


def _accepts_evidence(actor, benefit: SupervisionBenefit) -> None:
    if not is_visible(actor, benefit) or not project_editable(benefit.project):
        raise Conflict(_l("A closed or cancelled project can no longer be changed."))


attachments.OWNERS["supervision_benefit"] = lambda s, id_: s.get(SupervisionBenefit, id_)
attachments.ACCEPTS["supervision_benefit"] = _accepts_evidence


def of_project(session: Session, project_id: int) -> list[SupervisionBenefit]:
    """A project's benefits, oldest first."""
    return list(session.scalars(select(SupervisionBenefit).where(SupervisionBenefit.project_id == project_id)
                                .order_by(SupervisionBenefit.id)))
