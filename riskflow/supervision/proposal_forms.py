"""The forms of risk proposals and what the recommendation page shows of them (its proposals, the form to
propose): shared by the recommendation page and the proposal routes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ..auth import policy
from ..forms import choices, choices_with_prompt
from ..register.models import Category, Risk
from ..register.views import category_choices
from . import risk_proposals as proposals
from .models import RiskProposal

GRADES = [(n, str(n)) for n in range(1, proposals.GRADE_SIZE + 1)]


class ProposalForm(FlaskForm):
    """Propose a new risk or a regrade from a recommendation's finding (the service checks every field)."""

    kind = SelectField(_l("Proposal"), choices=choices(proposals.RISK_PROPOSAL_KIND_LABELS.items()))
    title = StringField(_l("Title of the new risk"), validators=[Optional(), Length(max=200)])
    category = SelectField(_l("Category of the new risk"), choices=[])
    risk_code = StringField(_l("Risk to regrade (code)"), validators=[Optional(), Length(max=40)])
    # No grade chosen for the user: an untouched form would otherwise propose 1 × 1.
    likelihood = SelectField(_l("Proposed likelihood"), choices=choices_with_prompt(GRADES))
    impact = SelectField(_l("Proposed impact"), choices=choices_with_prompt(GRADES))
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=4000)])

    def data_for_service(self) -> dict:
        """The proposal as the service takes it: a new risk's title and category, or the regraded risk's code."""
        grade = lambda value: int(value) if str(value or "").isdigit() else None  # noqa: E731
        data = {"kind": self.kind.data, "likelihood": grade(self.likelihood.data), "impact": grade(self.impact.data),
                "reason": self.reason.data or ""}
        if self.kind.data == "new":
            data.update(title=self.title.data or "", category=self.category.data or "")
        else:
            data["risk_code"] = self.risk_code.data or ""
        return data


def proposal_form(db, formdata=None) -> ProposalForm:
    """A proposal form with the categories to choose from (FORMDATA None: a fresh one)."""
    form = ProposalForm(prefix="proposal", **({} if formdata is None else {"formdata": formdata}))
    form.category.choices = choices_with_prompt(category_choices(db))
    return form


class DecisionForm(FlaskForm):
    """Accept or decline a proposal; a decline needs its reason."""

    comment = TextAreaField(_l("Comment (required to decline)"), validators=[Optional(), Length(max=4000)])
    version = HiddenField()


def decision_form(proposal: RiskProposal, formdata=None) -> DecisionForm:
    """The decision form of one proposal on the list (its own field ids)."""
    form = DecisionForm(prefix=f"p{proposal.id}", **({} if formdata is None else {"formdata": formdata}))
    if formdata is None:
        form.version.data = str(proposal.version)
    return form


def recommendation_section(db, user, rec, form: ProposalForm | None = None) -> dict:
    """What the recommendation page shows of its named risks and proposals: FORM is a refused proposal form."""
    shown = list(db.scalars(proposals.query(user).where(RiskProposal.recommendation_id == rec.id)
                            .order_by(None).order_by(RiskProposal.id)))
    may_propose = policy.can(user, "risk_proposal.create")
    return {"proposals": shown, "risks": [r for r in rec.risks if policy.in_scope(user, r)],
            "named": named_rows(db, shown), "can_propose": may_propose,
            "form": form if form is not None else (proposal_form(db) if may_propose else None),
            "kind_labels": proposals.RISK_PROPOSAL_KIND_LABELS, "state_labels": proposals.RISK_PROPOSAL_STATE_LABELS}


def named_rows(db, shown) -> dict:
    """The risks and categories PROPOSALS name, by id, in two queries."""
    risk_ids = {p.risk_id for p in shown if p.risk_id}
    category_ids = {p.category_id for p in shown if p.category_id}
    return {
        "risks": {r.id: r for r in db.scalars(select(Risk).where(Risk.id.in_(risk_ids)))} if risk_ids else {},
        "categories": {c.id: c for c in db.scalars(select(Category).where(Category.id.in_(category_ids)))}
        if category_ids else {},
    }
