"""Pages of the risk event library: the library, an incident, collection, meetings, calibration, the pack."""
from __future__ import annotations

import io
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import attachments, history, periods
from ..auth import policy
from ..auth.service import sales_units
from ..db import get_session
from ..errors import Invalid, RiskflowError
from ..forms import CsrfOnlyForm, EvidenceForm, choices, choices_with_prompt
from ..i18n import current_language
from ..register.models import Risk
from ..web import add_nav, attempt, edit_page, flash_error, paged, paged_list, refuse_edit, safe_next, send_download
from ..workflow.views import register_kind, transition_forms
from . import calibration, cases, editing, meetings, pack, rounds, service
from ..actions import service as actions
from .forms import IncidentEditForm, IncidentForm, MeetingForm, NewIncidentForm, NilReportForm, RecoveriesForm, RoundForm
from .labels import template_globals
from .models import KINDS, LOSS_TYPES, SEVERITY_DIMENSIONS

bp = Blueprint("incidents", __name__)

add_nav(45, "incidents.library", _l("Incidents"), "incident.read")


@bp.record_once
def _install_labels(state) -> None:
    state.app.jinja_env.globals.update(template_globals())


def _quarter_arg(default: str | None = None) -> str:
    """The `quarter` asked for, DEFAULT (this quarter) when none. A malformed one refuses a form (nothing is
    done for another quarter than the one sent) and, when only looking, shows this quarter with the reason."""
    current = periods.quarter_of(periods.today())
    quarter = request.values.get("quarter") or default or current
    if periods.is_quarter(quarter):
        return quarter
    if request.method == "POST":
        raise Invalid.field("quarter", periods.QUARTER_MESSAGE)
    flash(periods.QUARTER_MESSAGE, "error")
    return current


@bp.get("/incidents")
@login_required
def library():
    """Search and filter the library; totals by quarter."""
    db = get_session()
    try:
        filters = service.check_filters(request.args)
    except RiskflowError as exc:
        flash_error(exc)
        filters = {}
    stmt = service.query(current_user, **filters)
    listed = paged(db, stmt)
    scope = policy.scope_unit_id(current_user)
    return render_template(
        "incidents/library.html", rows=listed.items, listed=listed, filters=filters,
        page_args={k: v for k, v in filters.items() if v}, totals=pack.quarter_totals(db, stmt),
        units=[u for u in sales_units(db) if scope is None or u.id == scope], kinds=KINDS, loss_types=LOSS_TYPES,
        can_record=policy.can(current_user, "incident.write"), quarter=periods.quarter_of(periods.today()))


def _risk_choices(db, also=()):
    stmt = select(Risk).where(Risk.status == "active").order_by(Risk.code)
    scope = policy.scope_unit_id(current_user)
    if scope is not None:
        stmt = stmt.where(Risk.unit_id == scope)
    risks = list(db.scalars(stmt))
    risks += sorted((r for r in also if r not in risks), key=lambda r: r.code)
    return choices((str(r.id), f"{r.code} {r.title}") for r in risks)


def _fill_choices(db, form: IncidentForm, also=()) -> None:
    """The units and risks the form offers; ALSO, the risks an incident links already (a retired one too)."""
    scope = policy.scope_unit_id(current_user)
    form.unit.choices = choices((u.code, u.name) for u in sales_units(db) if scope is None or u.id == scope)
    form.risk_ids.choices = _risk_choices(db, also)


@bp.route("/incidents/new", methods=["GET", "POST"])
@login_required
def record():
    """Record an incident or near miss."""
    policy.require(current_user, "incident.write")
    db = get_session()
    form = NewIncidentForm()
    _fill_choices(db, form)
    form.action_owner.choices = owner_choices(db)
    if form.validate_on_submit():
        incident = attempt(lambda: service.create(db, current_user, form.data_for_service()), form)
        if incident is not None:
            flash(_("Incident %(code)s recorded.", code=incident.code), "info")
            return redirect(url_for("incidents.detail", item_id=incident.id))
    return render_template("incidents/form.html", form=form)


def _named(user) -> str:
    return f"{user.label} · {user.unit.name}" if user.unit else user.label


def owner_choices(db) -> list:
    """The people a new incident's corrective action may be assigned to: units' officers and heads (the
    incident's unit is checked when it is saved), by actions.service.owner_choices, the one rule."""
    return choices_with_prompt((u.username, _named(u)) for u in actions.owner_choices(db, current_user, {})
                               if u.unit_id is not None)


def meeting_owner_choices(db) -> list:
    """Who a meeting's decision may be assigned to: the risk managers, and every unit's officers and head."""
    return choices_with_prompt((u.username, _named(u)) for u in actions.owner_choices(db, current_user, {}))


@bp.route("/incidents/<int:item_id>", methods=["GET", "POST"])
@login_required
def detail(item_id: int):
    """An incident: what happened, losses, linked risks, evidence, timeline, actions."""
    db = get_session()
    incident = service.get(db, current_user, item_id)
    if request.method == "POST" and CsrfOnlyForm().validate_on_submit():
        if attempt(lambda: service.mark_action_done(db, current_user, incident.id)):
            flash(_("The corrective action is recorded as done."), "info")
        return redirect(url_for("incidents.detail", item_id=incident.id))
    return render_template(
        "incidents/detail.html", incident=incident, risks=service.linked_risks(current_user, incident),
        actions=list(db.scalars(actions.query(current_user, incident_id=incident.id))), today=periods.today(),
        is_overdue=actions.is_overdue, can_add_action=policy.can(current_user, "action.create"),
        transitions=transition_forms(db, incident, current_user),
        entries=history.visible_entries(db, current_user, "incident", incident.id),
        files=attachments.for_item(db, "incident", incident.id), evidence_form=EvidenceForm(),
        can_attach=policy.can(current_user, "incident.attach", incident),
        can_edit=policy.can(current_user, "incident.write", incident),
        can_mark=policy.can(current_user, "warning_case.mark", incident))


@bp.route("/incidents/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit(item_id: int):
    """Correct an incident while it is reported; once reviewed, record what was recovered until it is closed.
    A save based on an older page is refused."""
    db = get_session()
    incident = service.get(db, current_user, item_id)
    back = refuse_edit(incident, url_for("incidents.detail", item_id=incident.id))
    if back is not None:
        return back
    full = editing.fully_editable(incident)
    form = (IncidentEditForm if full else RecoveriesForm)(obj=incident if request.method == "GET" else None)
    if full:
        _fill_choices(db, form, also=service.linked_risks(current_user, incident))
    if request.method == "GET" and full:
        form.unit.data = incident.unit.code
        form.gross_loss.data = incident.gross_loss
        form.loss_type.data = incident.loss_type or ""
        form.risk_ids.data = [str(r.id) for r in service.linked_risks(current_user, incident)]
        for dimension in SEVERITY_DIMENSIONS:
            getattr(form, dimension).data = str(getattr(incident, dimension))
    return edit_page(form, lambda data: editing.update(db, current_user, incident.id, data),
                     saved=_("Incident %(code)s saved.", code=incident.code),
                     to=url_for("incidents.detail", item_id=incident.id), template="incidents/edit.html",
                     incident=incident, full=full)


@bp.route("/incidents/collection", methods=["GET", "POST"])
@login_required
def collection():
    """A quarter's collection: open it, answer for the unit (incidents or a confirmed nil report), see who is
    done. Without a quarter asked for, the newest collection still open, else this quarter."""
    db = get_session()
    waiting = rounds.open_quarters(db)
    quarter = _quarter_arg(default=waiting[-1] if waiting else None)
    form = RoundForm(prefix="open")
    nil_form = NilReportForm(prefix="nil")
    nil_form.nil.label.text = _("Our unit had no incidents or near misses in %(quarter)s.", quarter=quarter)
    if request.method == "POST":
        action = request.form.get("action")
        if action == "open" and form.validate_on_submit():
            if attempt(lambda: rounds.open_round(db, current_user, form.quarter.data, form.deadline.data), form):
                flash(_("The collection for %(quarter)s is open.", quarter=form.quarter.data), "info")
                return redirect(url_for("incidents.collection", quarter=form.quarter.data))
        elif action == "submit" and CsrfOnlyForm().validate_on_submit():
            if attempt(lambda: rounds.answer(db, current_user, quarter, current_user.unit_id, False)):
                flash(_("Your unit's answer for %(quarter)s is recorded.", quarter=quarter), "info")
            return redirect(url_for("incidents.collection", quarter=quarter))
        elif action == "nil" and nil_form.validate_on_submit():
            if not nil_form.nil.data:
                nil_form.nil.errors.append(_("Tick the box to confirm that your unit had no incidents in the "
                                             "quarter."))
            else:
                try:
                    rounds.answer(db, current_user, quarter, current_user.unit_id, True)
                except RiskflowError as exc:
                    # Every reason a nil report is refused is shown once, at the box that asked for it.
                    db.rollback()
                    nil_form.nil.errors.extend(str(m) for m in exc.errors.get("nil") or [exc.message])
                else:
                    db.commit()
                    flash(_("Your unit's nil report for %(quarter)s is recorded.", quarter=quarter), "info")
                    return redirect(url_for("incidents.collection", quarter=quarter))
    if not form.quarter.data:
        form.quarter.data = quarter
    rnd = rounds.find(db, quarter)
    status = rounds.status(db, current_user, quarter) if rnd else []
    can_answer = policy.can(current_user, "incident_round.answer") and current_user.unit_id is not None
    before = periods.quarter_of(periods.quarter_start(quarter) - timedelta(days=1))
    after = periods.quarter_of(periods.quarter_end(quarter) + timedelta(days=1))
    return render_template("incidents/collection.html", quarter=quarter, round=rnd, status=status, form=form,
                           before=before, after=after if after <= periods.quarter_of(periods.today()) else None,
                           nil_form=nil_form, can_open=policy.can(current_user, "incident_round.manage"),
                           can_answer=can_answer,
                           answered=any(s.submitted_on for s in status if s.unit.id == current_user.unit_id),
                           recorded=rounds.recorded(db, current_user.unit_id, quarter) if can_answer else 0)


@bp.route("/incidents/meetings", methods=["GET", "POST"])
@login_required
def meeting():
    """Record the quarterly review meeting; the incidents ticked are reviewed with its conclusions."""
    db = get_session()
    quarter = _quarter_arg()
    form = MeetingForm()
    owners = meeting_owner_choices(db)
    for _title, owner, _due in form.decision_rows():
        owner.choices = owners
    pending = list(db.scalars(service.query(current_user, quarter=quarter, state="reported")).unique())
    # A warning case ticked on a row whose incident the meeting did not review: the two boxes contradict.
    not_reviewed = {}
    if request.method == "POST":
        policy.require(current_user, "meeting.manage")
        not_reviewed = {i.id: _("Tick “Reviewed” too: the meeting marks the warning cases it reviews.")
                        for i in pending if request.form.get(f"case_{i.id}") and not request.form.get(f"review_{i.id}")}
        if not_reviewed:
            flash(_("The meeting was not recorded.") + " " + next(iter(not_reviewed.values())), "error")
        if form.validate_on_submit() and not not_reviewed:
            items = [{"incident_id": i.id, "conclusion": request.form.get(f"conclusion_{i.id}", ""),
                      "warning_case": bool(request.form.get(f"case_{i.id}"))}
                     for i in pending if request.form.get(f"review_{i.id}")]
            data = {"quarter": quarter, "held_on": form.held_on.data, "attendees": form.attendees.data,
                    "conclusions": form.conclusions.data, "decisions": form.decisions(), "items": items}
            if attempt(lambda: meetings.record(db, current_user, data), form, form.decision_fields()):
                flash(_("The meeting of %(quarter)s is recorded.", quarter=quarter), "info")
                return redirect(url_for("incidents.meeting", quarter=quarter))
    # A refused meeting comes back with the incidents ticked and the conclusions typed, not the defaults.
    typed = request.form if request.method == "POST" else None
    held = meetings.for_quarter(db, current_user, quarter)
    return render_template("incidents/meetings.html", quarter=quarter, form=form, pending=pending, typed=typed,
                           held=held, decided=meetings.decisions_of(db, current_user, [m.id for m, _ in held]),
                           today=periods.today(), is_overdue=actions.is_overdue, not_reviewed=not_reviewed,
                           can_record=policy.can(current_user, "meeting.manage"),
                           can_mark=policy.can(current_user, "warning_case.mark"))


@bp.post("/incidents/<int:item_id>/warning-case")
@login_required
def warning_case(item_id: int):
    """Mark an incident as a warning case (警示案例) or take the mark off, from its page or the meeting's; back
    to the page the button was on."""
    db = get_session()
    back = safe_next(request.form.get("next"), url_for("incidents.detail", item_id=item_id))
    cases.markable(db, current_user, item_id)
    if CsrfOnlyForm().validate_on_submit():
        marked = request.form.get("warning_case") == "1"
        incident = attempt(lambda: cases.mark(db, current_user, item_id, marked))
        if incident is not None:
            flash(_("%(code)s is now a warning case, shared with every unit.", code=incident.code) if marked else
                  _("%(code)s is no longer a warning case.", code=incident.code), "info")
    return redirect(back)


@bp.get("/incidents/cases")
@login_required
def case_list():
    """The warning cases every unit learns from: each one's shared fields (the full incident only for whom it
    is in scope)."""
    db = get_session()
    listed = paged(db, cases.query(current_user))
    return render_template("incidents/cases.html", listed=listed,
                           shared=[cases.shared_json(i) for i in listed.items],
                           full={i.code: i.id for i in listed.items if policy.in_scope(current_user, i)})


@bp.get("/incidents/calibration")
@login_required
def calibration_list():
    """Risks whose incidents outrun their graded likelihood, for officers to regrade."""
    listed = paged_list(calibration.miscalibrated(get_session(), current_user, periods.today()))
    return render_template("incidents/calibration.html", flags=listed.items, listed=listed,
                           window=calibration.WINDOW_YEARS)


@bp.get("/incidents/pack.pdf")
@login_required
def pack_pdf():
    """The quarter's review pack as a PDF."""
    quarter = request.args.get("quarter") or ""
    data = pack.render(pack.collect(get_session(), current_user, quarter), current_language())
    return send_download(io.BytesIO(data), f"incidents-{quarter}.pdf", "application/pdf", as_attachment=False)


register_kind("incident", service.get, "incidents.detail")
