"""Pages of the risk database: list, detail with grade history, create, edit, grade."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import periods
from ..actions import service as action_service
from ..auth import policy
from ..auth.models import Unit
from ..auth.service import sales_units
from ..db import get_session
from ..errors import RiskflowError
from ..forms import choices, choices_with_prompt
from ..web import add_nav, attempt, paged
from ..incidents import calibration
from ..incidents import service as incident_service
from ..supervision import risklinks
from . import assessments, grading, risks, rounds, warnings
from .chart import grade_chart
from .forms import GradeForm, RiskForm
from .labels import localized, template_globals
from .standard import current as current_standard
from .standard import list_categories

bp = Blueprint("register", __name__)

add_nav(10, "register.risk_list", _l("Risks"), "risk.read")


def category_choices(session):
    """Every category, subcategories under their parent."""
    options = []
    for category in list_categories(session):
        label = localized(category)
        if category.parent is not None:
            label = f"{localized(category.parent)} / {label}"
        options.append((category.code, label))
    return options


def unit_choices(session, actor):
    """The sales units ACTOR may record risks for."""
    scope = policy.scope_unit_id(actor)
    return [(u.code, f"{u.code} {u.name}") for u in sales_units(session) if scope is None or u.id == scope]


def scale_choices(levels, blank: bool = False):
    options = [("", "—")] if blank else []
    return options + [(str(lv.value), f"{lv.value} {localized(lv)}") for lv in levels]


@bp.get("/risks")
@login_required
def risk_list():
    """The register, filtered and paged."""
    db = get_session()
    try:
        filters = risks.check_filters(request.args)
    except RiskflowError as exc:
        flash(str(exc.message), "error")
        filters = {}
    listed = paged(db, risks.query(current_user, **filters))
    rows, total, page, pages = listed.items, listed.total, listed.page, listed.pages
    latest = risks.latest_assessments(db, [r.id for r in rows], risks_loaded=True)
    return render_template(
        "register/risk_list.html", rows=rows, latest=latest, total=total, page=page, pages=pages,
        filters=filters, page_args={k: v for k, v in filters.items() if v},
        unit_options=[(u.code, u.name) for u in visible_units(db)], categories=category_choices(db),
        can_create=policy.can(current_user, "risk.write"),
    )


def visible_units(db) -> list[Unit]:
    """The sales units the signed-in user may look at: those the register's pickers and filters offer."""
    scope = policy.scope_unit_id(current_user)
    return [u for u in sales_units(db) if scope is None or u.id == scope]


def _fill_risk_form(form: RiskForm, db) -> RiskForm:
    form.category.choices = choices_with_prompt(category_choices(db))
    form.unit.choices = choices_with_prompt(unit_choices(db, current_user))
    return form


@bp.route("/risks/new", methods=["GET", "POST"])
@login_required
def risk_new():
    """Add a risk to the register."""
    policy.require(current_user, "risk.write")
    db = get_session()
    form = _fill_risk_form(RiskForm().without_status(), db)
    if form.validate_on_submit():
        risk = attempt(lambda: risks.create(db, current_user, form.data_for_service(editing=False)), form)
        if risk is not None:
            flash(_("Risk %(code)s added.", code=risk.code), "info")
            return redirect(url_for("register.risk_detail", risk_id=risk.id))
    return render_template("register/risk_form.html", form=form, risk=None)


@bp.route("/risks/<int:risk_id>/edit", methods=["GET", "POST"])
@login_required
def risk_edit(risk_id: int):
    """Edit a risk; a change made by someone else meanwhile is refused, not merged."""
    db = get_session()
    risk = risks.get(db, current_user, risk_id, "risk.write")
    form = _fill_risk_form(RiskForm(), db)
    if risk.unit.code not in [c.value for c in form.unit.choices]:
        form.unit.choices.append(choices([(risk.unit.code, f"{risk.unit.code} {risk.unit.name}")])[0])
    if request.method == "GET":
        for name in ("title", "owner", "source", "causes", "measures", "status"):
            getattr(form, name).data = getattr(risk, name)
        form.category.data, form.unit.data = risk.category.code, risk.unit.code
        form.response_strategy.data = risk.response_strategy or ""
        form.version.data = str(risk.version)
    elif form.validate_on_submit():
        if attempt(lambda: risks.update(db, current_user, risk.id, form.data_for_service(editing=True)), form):
            flash(_("Risk %(code)s saved.", code=risk.code), "info")
            return redirect(url_for("register.risk_detail", risk_id=risk.id))
    return render_template("register/risk_form.html", form=form, risk=risk)


def _grade_form(db, risk, standard, history) -> GradeForm:
    form = GradeForm()
    form.likelihood.choices = choices(scale_choices(standard.likelihood))
    form.impact.choices = choices(scale_choices(standard.impact))
    for dimension in grading.IMPACT_DIMENSIONS:
        getattr(form, f"impact_{dimension}").choices = choices(scale_choices(standard.impact, blank=True))
    if request.method == "GET":
        round_ = rounds.latest(db)
        form.period.data = round_.period if round_ else periods.current()
        form.versions.data = " ".join(f"{a.period}:{a.version}" for a in history)
        if history:
            # Last month's grade is the starting point: confirm it or change it.
            latest = history[-1]
            form.likelihood.data, form.impact.data = str(latest.likelihood), str(latest.impact)
            for dimension, value in (latest.impacts or {}).items():
                getattr(form, f"impact_{dimension}").data = str(value)
    return form


def _detail_page(db, risk, form: GradeForm | None = None):
    """The risk page; FORM is the grade form as the user sent it, when it was refused."""
    history = assessments.list_for(db, current_user, risk.id)
    standard = current_standard(db)[1]
    return render_template(
        "register/risk_detail.html", risk=risk, history=history, chart=grade_chart(history[-12:]),
        form=form or _grade_form(db, risk, standard, history), warnings=warnings.for_risk(db, risk.id),
        latest=history[-1] if history else None,
        incidents=incident_service.for_risk(db, current_user, risk.id),
        supervision=risklinks.links_of_risk(db, current_user, risk),
        actions=action_service.of_item(db, current_user, "risk_id", risk.id),
        can_add_action=action_service.may_assign_on(current_user, risk),
        calibration=calibration.miscalibrated(db, current_user, periods.today(), risk_id=risk.id),
        can_edit=policy.can(current_user, "risk.write", risk),
        can_grade=policy.can(current_user, "assessment.write", risk) and risk.status == "active",
    )


@bp.get("/risks/<int:risk_id>")
@login_required
def risk_detail(risk_id: int):
    """A risk with its grade history chart, grade form and warnings."""
    db = get_session()
    return _detail_page(db, risks.get(db, current_user, risk_id))


@bp.post("/risks/<int:risk_id>/grade")
@login_required
def risk_grade(risk_id: int):
    """Record this month's grade, or revise it when the month is already graded; a refused grade comes back
    on the page as the user typed it, with the reasons."""
    db = get_session()
    risk = risks.get(db, current_user, risk_id, "assessment.write")
    standard = current_standard(db)[1]
    form = _grade_form(db, risk, standard, [])
    if not form.validate_on_submit():
        return _detail_page(db, risk, form)
    impacts = {d: int(getattr(form, f"impact_{d}").data) for d in grading.IMPACT_DIMENSIONS
               if getattr(form, f"impact_{d}").data}
    data = {"period": form.period.data, "likelihood": int(form.likelihood.data),
            "rationale": form.rationale.data}
    if impacts:
        data["impacts"] = impacts
    else:
        data["impact"] = int(form.impact.data)

    def save():
        if assessments.find(db, risk.id, data["period"]) is None:
            return assessments.record(db, current_user, risk.id, data, require_reason=True)
        # A month the page showed ungraded counts as version 0: a grade recorded since is not overwritten.
        version = form.versions_read().get(data["period"], 0)
        return assessments.revise(db, current_user, risk.id, data["period"], {**data, "version": version},
                                  require_reason=True)

    if attempt(save, form) is None:
        return _detail_page(db, risk, form)
    flash(_("%(code)s graded for %(period)s.", code=risk.code, period=data["period"]), "info")
    return redirect(url_for("register.risk_detail", risk_id=risk.id))


@bp.record_once
def _install_labels(state) -> None:
    """Label tables for every template."""
    state.app.jinja_env.globals.update(template_globals())
