"""The project page's benefits section (直接经济效益): the entries and their totals, the inspector's form to record
one, evidence per entry, and the removal of one recorded by mistake."""
from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from .. import attachments
from ..auth import policy
from ..db import get_session
from ..forms import EvidenceForm, choices
from ..web import attempt
from . import benefits, service
from .editing import project_editable
from .labels import BENEFIT_KIND_LABELS
from .views import ACTION_LABELS, bp, project_page, project_section

TEMPLATE = "supervision/_benefits.html"
ACTION_LABELS.update({"benefit": _l("Benefit recorded"), "benefit_deleted": _l("Benefit removed")})


class BenefitForm(FlaskForm):
    # Text, not a number field: what was typed ("abc", "-5") comes back as typed, the service says what is wrong.
    amount = StringField(_l("Amount (yuan)"), validators=[Length(max=40)], render_kw={"inputmode": "decimal"})
    kind = SelectField(_l("Kind of benefit"), choices=choices(BENEFIT_KIND_LABELS.items()))
    recommendation_id = SelectField(_l("Produced by the recommendation"), choices=[], validate_choice=False)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])

    def data_for_service(self) -> dict:
        return {"amount": self.amount.data, "kind": self.kind.data,
                "recommendation_id": self.recommendation_id.data or None, "description": self.description.data}


@dataclass
class ConfirmRemoval:
    """The section asks to confirm the removal of this benefit (a page without script asks on the server)."""

    benefit_id: int


def _form(project, *, fresh: bool = False) -> BenefitForm:
    """The benefit form of PROJECT: the request's values, or an empty one when FRESH."""
    form = BenefitForm(prefix="benefit", **({"formdata": None} if fresh else {}))
    form.recommendation_id.choices = choices(
        [("", _l("None"))] + [(r.id, f"{r.letter_no} {r.finding[:40]}") for r in project.recommendations])
    return form


@project_section(30, TEMPLATE)
def provide(db, user, project, form):
    """The benefits USER may see, their totals, and the inspector's form while the project is open."""
    rows = benefits.visible_of_project(db, user, project)
    total, by_kind = benefits.totals(rows)
    may_manage = (policy.can(user, "supervision.manage", project) and project_editable(project)
                  and project.state not in benefits.UNFILED)
    return {"benefits": rows, "total": total, "by_kind": by_kind, "may_manage": may_manage,
            "form": form if isinstance(form, BenefitForm) else _form(project, fresh=True),
            "confirm": form.benefit_id if isinstance(form, ConfirmRemoval) else None,
            "files": attachments.for_items(db, "supervision_benefit", [b.id for b in rows]),
            "evidence_form": EvidenceForm(), "may_attach": may_manage and policy.can(user, "supervision_benefit.attach")}


def _back(project_id: int, anchor: str = "benefits"):
    return redirect(url_for("supervision.project_detail", item_id=project_id, _anchor=anchor))


@bp.post("/supervision/<int:item_id>/benefits")
@login_required
def benefit_add(item_id: int):
    """Record a benefit from the project page; a refused one redraws the page with what was typed."""
    db = get_session()
    project = service.get_project(db, current_user, item_id)
    policy.require(current_user, "supervision.manage", project)
    form = _form(project)
    if form.validate_on_submit():
        benefit = attempt(lambda: benefits.add_benefit(db, current_user, project.id, form.data_for_service()), form)
        if benefit is not None:
            flash(_("Benefit of %(amount)s yuan recorded.", amount="{:,.2f}".format(benefit.amount)), "info")
            return _back(project.id)
        project = service.get_project(db, current_user, item_id)
    return project_page(db, project, refused=(TEMPLATE, form), status=422)


@bp.post("/benefits/<int:benefit_id>/delete")
@login_required
def benefit_delete(benefit_id: int):
    """Remove a benefit recorded by mistake, after a confirmation (`confirm=1`; the page's script asks first)."""
    db = get_session()
    benefit = benefits.get_benefit(db, current_user, benefit_id)
    project_id = benefit.project_id
    policy.require(current_user, "supervision.manage", benefit.project)
    if request.form.get("confirm") != "1":
        return project_page(db, benefit.project, refused=(TEMPLATE, ConfirmRemoval(benefit.id)))[0]
    amount = benefit.amount
    if attempt(lambda: benefits.delete_benefit(db, current_user, benefit_id)) is not None:
        flash(_("Benefit of %(amount)s yuan removed.", amount="{:,.2f}".format(amount)), "info")
    return _back(project_id)


@bp.post("/benefits/<int:benefit_id>/evidence")
@login_required
def benefit_evidence(benefit_id: int):
    """Attach an evidence file to a benefit, then back to its entry on the project page."""
    db = get_session()
    benefit = benefits.get_benefit(db, current_user, benefit_id)
    project_id = benefit.project_id
    form = EvidenceForm()
    if form.validate_on_submit():
        file = form.file.data
        saved = attempt(lambda: attachments.add(db, current_user, "supervision_benefit", benefit_id,
                                                file.filename or "", file.read(), "supervision_benefit.attach"))
        if saved is not None:
            flash(_("%(name)s attached.", name=saved.filename), "info")
    else:
        flash(_("Choose a file to attach."), "error")
    return _back(project_id, f"benefit-{benefit_id}")
