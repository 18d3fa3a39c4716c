"""Supervision pages: the board, a project, a recommendation, the list, the year summary."""
from __future__ import annotations

from typing import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import lazyload

from .. import attachments, history, periods
from ..auth import policy
from ..auth.service import list_units
from ..db import get_session
from ..forms import EvidenceForm, choices, choices_with_prompt
from ..web import add_nav, attempt, edit_page, paged, refuse_edit
from ..workflow import engine
from ..workflow.views import register_kind, take_on_page, transition_forms
from . import benefits, editing, escalation, inspections, kinds, proposals, risklinks, service, summary as figures
from .forms import (KindEditForm, KindForm, ProjectEditForm, ProjectForm, ProposalEditForm, RecommendationEditForm,
                    RecommendationForm)
from .labels import template_globals
from .proposal_forms import recommendation_section
from .models import ESCALATIONS, SupervisionProject

bp = Blueprint("supervision", __name__)

add_nav(60, "supervision.board", _l("Supervision"), "supervision_project.read")

BOARD_STATES = ("draft", "setup", "monitoring", "recommendation", "rectification", "closed")


@bp.record_once
def _install_labels(state) -> None:
    state.app.jinja_env.globals.update(template_globals())
    state.app.jinja_env.globals["state_label"] = lambda workflow, code: engine.state_label(
        engine.workflows()[workflow], code)
    state.app.jinja_env.globals["action_label"] = action_label


ACTION_LABELS = {"create": _l("Recorded"), "propose": _l("Proposed by the unit"), "update": _l("Edited"), "recommend": _l("Recommendation recorded"),
                 "attach": _l("Evidence attached"), "escalate": _l("Escalated"),
                 "warning_case_marked": _l("Marked as a warning case"),
                 "warning_case_unmarked": _l("No longer a warning case")}


def action_label(workflow: str, action: str):
    """A history action as people say it: the transition's label, or the name of the change."""
    transition = engine.workflows()[workflow].transitions.get(action)
    return engine.transition_label(transition) if transition else ACTION_LABELS.get(action, action)


def _year_arg() -> int:
    """The `year` asked for, else this year (with the reason when it is not a year)."""
    raw = request.args.get("year") or ""
    if periods.is_year(raw):
        return periods.parse_year(raw)
    if raw:
        flash(periods.YEAR_MESSAGE, "error")
    return periods.today().year


@bp.get("/supervision")
@login_required
def board():
    """Projects of a year by state, the closed loop at a glance."""
    db = get_session()
    year = _year_arg()
    projects = list(db.scalars(service.project_query(current_user, year=year)
                               .options(lazyload(SupervisionProject.recommendations))))
    today = periods.today()
    columns = [(state, [p for p in projects if p.state == state]) for state in BOARD_STATES]
    cancelled = [p for p in projects if p.state == "cancelled"]
    return render_template("supervision/board.html", year=year, columns=columns, cancelled=cancelled,
                           counts=service.recommendation_counts(db, current_user, [p.id for p in projects]),
                           can_create=policy.can(current_user, "supervision.manage"),
                           proposals=proposals.board_lane(current_user, projects),
                           summary=figures.year_figures(db, current_user, year, today), percent=figures.percent)


def _unit_choices(db):
    return choices((u.code, f"{u.code} {u.name}") for u in list_units(db))


@bp.route("/supervision/new", methods=["GET", "POST"])
@login_required
def project_new():
    """File a project's form (立项呈报表)."""
    policy.require(current_user, "supervision.manage")
    db = get_session()
    form = ProjectForm()
    form.kind.choices = choices_with_prompt(kinds.labels(db).items())  # nothing chosen for the user
    form.lead_unit.choices = _unit_choices(db)
    form.participating_units.choices = _unit_choices(db)
    if request.method == "GET":
        form.year.data = periods.today().year
        # The inspector's own office leads unless they choose another (the first unit by code was picked silently).
        if current_user.unit is not None:
            form.lead_unit.data = current_user.unit.code
    if form.validate_on_submit():
        project = attempt(lambda: service.create_project(db, current_user, form.data_for_service()), form)
        if project is not None:
            flash(_("Project %(code)s filed in draft.", code=project.code), "info")
            return redirect(url_for("supervision.project_detail", item_id=project.id))
    return render_template("supervision/project_form.html", form=form)


@bp.route("/supervision/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def project_edit(item_id: int):
    """Edit a project's filing form until it is closed or cancelled; a save based on an older page is refused."""
    db = get_session()
    project = service.get_project(db, current_user, item_id)
    back = refuse_edit(project, url_for("supervision.project_detail", item_id=project.id))
    if back is not None:
        return back
    # A unit head edits their unit's proposal: its units are not theirs to choose.
    proposing = policy.is_unit_scoped(current_user)
    form = (ProposalEditForm if proposing else ProjectEditForm)(obj=project if request.method == "GET" else None)
    if not proposing:
        form.lead_unit.choices = form.participating_units.choices = _unit_choices(db)
    kind_choices = kinds.labels(db)
    if project.kind not in kind_choices:  # a retired kind stays on the project until changed
        kind_choices[project.kind] = kinds.label(project.kind)
    form.kind.choices = choices(kind_choices.items())
    if request.method == "GET" and not proposing:
        form.lead_unit.data = project.lead_unit.code
        form.participating_units.data = [u.code for u in project.participating_units]
    if request.method == "GET":
        form.risk_codes.data = risklinks.codes_text(risklinks.visible_risks(current_user, project))
    return edit_page(form, lambda data: editing.update_project(db, current_user, project.id, data),
                     saved=_("Project %(code)s saved.", code=project.code),
                     to=url_for("supervision.project_detail", item_id=project.id),
                     template="supervision/project_edit.html", project=project, proposing_unit=project.lead_unit)


@bp.route("/recommendations/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def recommendation_edit(item_id: int):
    """Correct a recommendation until its unit accepts it; a save based on an older page is refused."""
    db = get_session()
    rec = service.get_recommendation(db, current_user, item_id)
    back = refuse_edit(rec, url_for("supervision.recommendation_detail", item_id=rec.id))
    if back is not None:
        return back
    form = RecommendationEditForm(obj=rec if request.method == "GET" else None)
    form.responsible_unit.choices = _unit_choices(db)
    if request.method == "GET":
        form.responsible_unit.data = rec.responsible_unit.code
        form.risk_codes.data = risklinks.codes_text(rec.risks)
    return edit_page(form, lambda data: editing.update_recommendation(db, current_user, rec.id, data),
                     saved=_("Recommendation %(no)s saved.", no=rec.letter_no),
                     to=url_for("supervision.recommendation_detail", item_id=rec.id),
                     template="supervision/recommendation_edit.html", rec=rec)


# The parts of a project's page a feature adds (benefits, notices, the mid-year inspection…), in ORDER:
# TEMPLATE is drawn with `section`, the dict PROVIDE(db, user, project, form) returns; FORM is the section's
# refused form (typed values and errors) when its own route redraws the page, else None.
PROJECT_SECTIONS: list[tuple[int, str, Callable]] = []


def project_section(order: int, template: str):
    """Decorator: add a section to the project page (see PROJECT_SECTIONS)."""

    def register(provide: Callable) -> Callable:
        PROJECT_SECTIONS.append((order, template, provide))
        PROJECT_SECTIONS.sort(key=lambda entry: entry[0])
        return provide

    return register


def project_page(db, project, *, form=None, filled=None, refused: tuple[str, object] | None = None,
                 status: int = 200):
    """A project's page: its filing form, recommendations, evidence, timeline, the actions open to the user and
    the sections features add. REFUSED (template, form) redraws one section's form as it was submitted."""
    if form is None:
        form = RecommendationForm(prefix="rec", formdata=None)
        form.responsible_unit.choices = _unit_choices(db)
        form.inspection_id.choices = choices(inspections.choices_for_recommendation(db, project))
    today = periods.today()
    blue, red = escalation.settings()
    recs = service.visible_recommendations(current_user, project)
    entries = history.visible_entries(db, current_user, "supervision_project", project.id)
    sections = [(template, provide(db, current_user, project,
                                   refused[1] if refused and refused[0] == template else None))
                for _order, template, provide in PROJECT_SECTIONS]
    return render_template(
        "supervision/project.html", project=project, recs=recs, form=form, evidence_form=EvidenceForm(),
        transitions=transition_forms(db, project, current_user), filled=filled or {},
        entries=entries, returned=proposals.return_reason(entries, project),
        files=attachments.for_item(db, "supervision_project", project.id),
        colours={r.id: escalation.colour(r.due_date, r.state == "verified", today, blue, red) for r in recs},
        overdue={r.id: service.is_overdue(r, today) for r in recs},
        can_recommend=policy.can(current_user, "supervision.manage")
        and project.state in ("monitoring", "recommendation", "rectification"),
        can_attach=policy.can(current_user, "supervision_project.attach", project), sections=sections,
        benefit_total=benefits.visible_total(db, current_user, project),
    ), status


@bp.route("/supervision/<int:item_id>", methods=["GET", "POST"])
@login_required
def project_detail(item_id: int):
    """A project: filing form, recommendations, evidence, timeline and the actions open to the user."""
    db = get_session()
    project = service.get_project(db, current_user, item_id)
    form = RecommendationForm(prefix="rec")
    form.responsible_unit.choices = _unit_choices(db)
    form.inspection_id.choices = choices(inspections.choices_for_recommendation(db, project))
    filled = {}
    if request.method == "POST" and "transition" in request.form:
        # The project's own transitions: a refused one (its comment) comes back as typed.
        refused = take_on_page(db, project, current_user)
        if refused is None:
            return redirect(url_for("supervision.project_detail", item_id=project.id))
        filled = refused
        project = service.get_project(db, current_user, item_id)
    elif request.method == "POST":
        policy.require(current_user, "supervision.manage")
        if form.validate_on_submit():
            rec = attempt(lambda: service.add_recommendation(db, current_user, project.id, {
                "finding": form.finding.data, "basis": form.basis.data, "recommendation": form.recommendation.data,
                "responsible_unit": form.responsible_unit.data, "due_date": form.due_date.data,
                "inspection_id": form.inspection_id.data, "risk_codes": form.risk_codes.data}), form)
            if rec is not None:
                flash(_("Recommendation %(no)s recorded.", no=rec.letter_no), "info")
                return redirect(url_for("supervision.project_detail", item_id=project.id))
    page, _status = project_page(db, project, form=form, filled=filled)
    return page


@bp.get("/recommendations")
@login_required
def recommendation_list():
    """Recommendations to follow up, overdue ones first in red, yellow and blue."""
    db = get_session()
    overdue = request.args.get("overdue")
    # The to-do list links here by escalation colour and to the rectifications sent back.
    colour = request.args.get("colour") if request.args.get("colour") in ESCALATIONS else ""
    sent_back = request.args.get("sent_back") if request.args.get("sent_back") in ("0", "1") else ""
    stmt = service.recommendation_query(current_user, overdue=True if overdue == "1" else None,
                                        state=request.args.get("state") or None, colour=colour or None,
                                        sent_back=(sent_back == "1") if sent_back else None)
    listed = paged(db, stmt)
    recs = listed.items
    today = periods.today()
    blue, red = escalation.settings()
    state = request.args.get("state") or ""
    return render_template(
        "supervision/recommendations.html", recs=recs, listed=listed,
        overdue_only=overdue == "1" or bool(colour or sent_back),
        colours={r.id: escalation.colour(r.due_date, r.state == "verified", today, blue, red) for r in recs},
        overdue={r.id: service.is_overdue(r, today) for r in recs}, state=state,
        page_args={k: v for k, v in (("overdue", overdue), ("state", state), ("colour", colour),
                                     ("sent_back", sent_back)) if v})


@bp.route("/recommendations/<int:item_id>", methods=["GET", "POST"])
@login_required
def recommendation_detail(item_id: int):
    """A recommendation: the letter, the rectification report, evidence, timeline and actions. Its transitions
    are taken here, so a refused one redraws the page with what was typed; a report sent back by the inspector
    shows the reason beside the form, and the previous report waits in the box to be edited."""
    db = get_session()
    rec = service.get_recommendation(db, current_user, item_id)
    filled = {"submit": {"values": {"report": rec.rectification_report}}} if rec.rectification_report else {}
    if request.method == "POST":
        refused = take_on_page(db, rec, current_user)
        if refused is None:
            return redirect(url_for("supervision.recommendation_detail", item_id=rec.id))
        filled.update(refused)
        rec = service.get_recommendation(db, current_user, item_id)
    return recommendation_page(db, rec, filled=filled)


def recommendation_page(db, rec, *, filled=None, proposal_form=None, status: int = 200):
    """A recommendation's page; PROPOSAL_FORM is a refused risk proposal, drawn as it was typed (with STATUS)."""
    filled = filled or {}
    today = periods.today()
    blue, red = escalation.settings()
    entries = history.visible_entries(db, current_user, "recommendation", rec.id)
    return render_template(
        "supervision/recommendation.html", rec=rec, evidence_form=EvidenceForm(),
        risk_section=recommendation_section(db, current_user, rec, proposal_form),
        transitions=transition_forms(db, rec, current_user), filled=filled, sent_back=service.sent_back(entries, rec),
        entries=entries,
        files=attachments.for_item(db, "recommendation", rec.id),
        colour=escalation.colour(rec.due_date, rec.state == "verified", today, blue, red),
        overdue=service.is_overdue(rec, today),
        can_attach=policy.can(current_user, "recommendation.attach", rec),
    ), status


@bp.get("/supervision/summary")
@login_required
def summary():
    """The year's figures beside the two years before: projects by origin, kind and unit, notices,
    recommendations, the closed-loop rate and the benefits by kind."""
    db = get_session()
    year = _year_arg()
    years = [year - n for n in range(0, 3)]
    found = [figures.year_figures(db, current_user, y) for y in years]
    kinds_seen = [k for k in kinds.labels(db, active_only=False)
                  if any(k in f["projects"]["by_kind"] for f in found)]
    units_seen = sorted({code for f in found for code in f["projects"]["by_unit"]})
    return render_template("supervision/summary.html", year=year, years=years, found=found, kinds_seen=kinds_seen,
                           units_seen=units_seen, unit_names={u.code: u.name for u in list_units(db)},
                           percent=figures.percent)


def _kind_data(form) -> dict:
    data = {"label_zh": form.label_zh.data or "", "label_en": form.label_en.data or ""}
    if form.position.data is not None:
        data["position"] = form.position.data
    return data


@bp.route("/admin/supervision-kinds", methods=["GET", "POST"])
@login_required
def kind_list():
    """The admin's list of project kinds: add one, rename or move it, retire or restore it."""
    policy.require(current_user, "supervision_kind.manage")
    db = get_session()
    form = KindForm()
    if form.validate_on_submit():
        kind = attempt(lambda: kinds.create_kind(db, current_user, {"code": form.code.data or "", **_kind_data(form)}),
                       form)
        if kind is not None:
            flash(_("Project kind %(name)s added.", name=kinds.label_of(kind)), "info")
            return redirect(url_for("supervision.kind_list"))
    return render_template("supervision/kinds.html", kinds=kinds.listed(db, active_only=False), used=kinds.used(db),
                           form=form, label_of=kinds.label_of)


@bp.route("/admin/supervision-kinds/<code>", methods=["GET", "POST"])
@login_required
def kind_edit(code: str):
    """Rename a project kind or move it in the list."""
    policy.require(current_user, "supervision_kind.manage")
    db = get_session()
    kind = kinds.require_kind(db, code)
    form = KindEditForm(obj=kind)
    if form.validate_on_submit():
        saved = attempt(lambda: kinds.update_kind(db, current_user, code, _kind_data(form)), form)
        if saved is not None:
            flash(_("Project kind %(name)s saved.", name=kinds.label_of(saved)), "info")
            return redirect(url_for("supervision.kind_list"))
    return render_template("supervision/kind_edit.html", kind=kind, form=form, label_of=kinds.label_of)


@bp.post("/admin/supervision-kinds/<code>/active")
@login_required
def kind_active(code: str):
    """Retire a kind (new projects can no longer take it; those that have it keep it) or restore it."""
    policy.require(current_user, "supervision_kind.manage")
    db = get_session()
    form = FlaskForm()  # the CSRF check only
    if form.validate_on_submit():
        active = request.form.get("active") == "1"
        kind = attempt(lambda: kinds.update_kind(db, current_user, code, {"active": active}))
        if kind is not None:
            flash(_("Project kind %(name)s restored.", name=kinds.label_of(kind)) if active else
                  _("Project kind %(name)s retired.", name=kinds.label_of(kind)), "info")
    return redirect(url_for("supervision.kind_list"))


register_kind("supervision_project", service.get_project, "supervision.project_detail")
register_kind("recommendation", service.get_recommendation, "supervision.recommendation_detail")
