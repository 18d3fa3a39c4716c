"""Pages of the links to the register: risk proposals (propose on a recommendation, the risk manager's list
to accept or decline), the project page's section of named risks and the risk manager's to-do."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..auth import policy
from ..db import get_session
from ..errors import RiskflowError
from ..main.tasks import Task, provider
from ..web import attempt, paged, show_errors
from . import risk_proposals as proposals
from . import service
from .proposal_forms import decision_form, named_rows, proposal_form
from .views import ACTION_LABELS, project_section, recommendation_page

bp = Blueprint("risklinks", __name__)

ACTION_LABELS.update({
    "propose_risk": _l("Risk proposed to the register"),
    "name_risk": _l("Risk named"),
    "accepted_risk_proposal": _l("Risk proposal accepted"),
    "declined_risk_proposal": _l("Risk proposal declined"),
})


@bp.post("/recommendations/<int:item_id>/risk-proposals")
@login_required
def propose(item_id: int):
    """Propose a new risk or a regrade from a recommendation; a refused one comes back as typed."""
    db = get_session()
    rec = service.get_recommendation(db, current_user, item_id)
    policy.require(current_user, "risk_proposal.create")
    form = proposal_form(db, request.form)
    if form.validate_on_submit():
        proposal = attempt(lambda: proposals.propose(db, current_user, rec.id, form.data_for_service()), form,
                           fields={"risk_id": "risk_code"})
        if proposal is not None:
            flash(_("Your proposal was sent to the risk manager."), "info")
            return redirect(url_for("supervision.recommendation_detail", item_id=rec.id, _anchor="risk-proposals"))
        rec = service.get_recommendation(db, current_user, item_id)
    return recommendation_page(db, rec, proposal_form=form, status=422)


@bp.get("/risk-proposals")
@login_required
def proposal_list():
    """The proposals waiting for the risk manager first, then those decided; accept or decline each."""
    return _list_page()


def _list_page(refused=None, status: int = 200):
    """The list; REFUSED (proposal id, form) redraws one decision form as it was typed."""
    db = get_session()
    state = request.args.get("state") if request.args.get("state") in proposals.RISK_PROPOSAL_STATES else ""
    listed = paged(db, proposals.query(current_user, state=state or None))
    forms = {p.id: (refused[1] if refused and refused[0] == p.id else decision_form(p)) for p in listed.items}
    return render_template(
        "supervision/risk_proposals.html", listed=listed, proposals=listed.items, forms=forms, state=state,
        named=named_rows(db, listed.items), can_decide=policy.can(current_user, "risk_proposal.decide"),
        kind_labels=proposals.RISK_PROPOSAL_KIND_LABELS, state_labels=proposals.RISK_PROPOSAL_STATE_LABELS,
        page_args={"state": state} if state else {}), status


def _decide(proposal_id: int, decide, done: str):
    db = get_session()
    proposal = proposals.get(db, current_user, proposal_id)
    form = decision_form(proposal, request.form)
    if form.validate_on_submit():
        data = {"comment": form.comment.data or "", "version": _version(form.version.data)}
        try:
            decided = decide(db, current_user, proposal.id, data)
        except RiskflowError as exc:
            db.rollback()
            show_errors(form, exc)
            return _list_page((proposal_id, form), 422 if exc.status == 422 else exc.status)
        db.commit()
        flash(done % {"code": decided.recommendation.letter_no}, "info")
        return redirect(url_for("risklinks.proposal_list", state=request.args.get("state") or None))
    return _list_page((proposal_id, form), 422)


def _version(raw) -> int | None:
    return int(raw) if raw and str(raw).isdigit() else None


@bp.post("/risk-proposals/<int:proposal_id>/accept")
@login_required
def accept(proposal_id: int):
    return _decide(proposal_id, proposals.accept, _("The proposal from %(code)s was accepted into the register."))


@bp.post("/risk-proposals/<int:proposal_id>/decline")
@login_required
def decline(proposal_id: int):
    return _decide(proposal_id, proposals.decline, _("The proposal from %(code)s was declined."))


@project_section(50, "supervision/_risks.html")
def provide(db, user, project, form):
    """The risks the project's control points name and those its recommendations' findings name."""
    visible = lambda item: [risk for risk in item.risks if policy.in_scope(user, risk)]  # noqa: E731
    return {"project_risks": visible(project),
            "recommendations": [(rec, visible(rec)) for rec in service.visible_recommendations(user, project)
                                if visible(rec)]}


@provider
def proposal_tasks(session, user) -> list[Task]:
    """The risk manager decides the proposals waiting."""
    if user.role != "risk_manager":
        return []
    return [Task(_("Risk proposals to decide"), proposals.count_open(session, user),
                 url_for("risklinks.proposal_list", state="proposed"))]
