"""Action pages: a unit's list, an action with its evidence and timeline, assigning and editing one."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import attachments, escalation, history, periods, values
from ..auth import policy
from ..auth.service import list_units
from ..db import get_session
from ..errors import NotFound
from ..forms import EvidenceForm
from ..web import add_nav, attempt, edit_page, paged, refuse_edit
from ..workflow import engine
from ..workflow.views import register_kind, take_on_page, transition_forms
from . import service
from .forms import ActionEditForm, ActionForm
from .models import LINKS

bp = Blueprint("actions", __name__)

add_nav(35, "actions.index", _l("Risk actions"), "action.read")

# The `due` filter: open actions due within this many days, overdue ones included (the to-do list links here).
DUE_SOON_DAYS = 7
TRUE = ("1", "true")


def _flag(name: str) -> bool | None:
    """A yes/no query argument: True, False, or None when absent or neither."""
    raw = (request.args.get(name) or "").lower()
    return True if raw in TRUE else False if raw in ("0", "false") else None


def _filters(units) -> dict:
    """The list's filters from the query string; an unknown value is dropped, with the reason."""
    args = request.args
    states = engine.workflows()["action"].states
    filters = {"state": args.get("state", ""), "colour": args.get("colour", ""), "unit": args.get("unit", ""),
               "overdue": args.get("overdue", ""), "mine": args.get("mine", ""), "returned": args.get("returned", ""),
               "due": args.get("due", "")}
    unit_codes = {u.code for u in units} | ({values.COMPANY_WIDE} if not policy.is_unit_scoped(current_user) else set())
    bad = ((filters["state"] and filters["state"] not in states)
           or (filters["colour"] and filters["colour"] not in escalation.COLOURS)
           or (filters["unit"] and filters["unit"] not in unit_codes)
           or any(filters[k] and _flag(k) is None for k in ("overdue", "mine", "returned"))
           or (filters["due"] and filters["due"] != "soon"))
    if bad:
        flash(_("Unknown filter value; showing every action."), "error")
        return dict.fromkeys(filters, "")
    return filters


@bp.get("/actions")
@login_required
def index():
    """The actions the user may see, by due date: a unit's own, or every unit's for the risk department."""
    db = get_session()
    units = [] if policy.is_unit_scoped(current_user) else list_units(db)
    filters = _filters(units)
    today = periods.today()
    stmt = service.query(
        current_user, state=filters["state"] or None, colour=filters["colour"] or None,
        unit=filters["unit"] or None, overdue=_flag("overdue") if filters["overdue"] else None,
        owner=current_user.username if filters["mine"] and _flag("mine") else None,
        returned=_flag("returned") if filters["returned"] else None,
        due_by=today + timedelta(days=DUE_SOON_DAYS) if filters["due"] else None, today=today)
    listed = paged(db, stmt)
    unit_options = [(u.code, u.name) for u in units]
    if units:
        unit_options.append((values.COMPANY_WIDE, _("Whole company")))
    return render_template(
        "actions/list.html", listed=listed, filters=filters, linked=service.linked(db, listed.items),
        colours={a.id: service.colour(a, today) for a in listed.items},
        overdue={a.id: service.is_overdue(a, today) for a in listed.items},
        unit_options=unit_options, state_options=_state_options(),
        args={k: v for k, v in filters.items() if v},
        can_create=policy.can(current_user, "action.create"))


def _state_options():
    workflow = engine.workflows()["action"]
    return [(code, engine.state_label(workflow, code)) for code in workflow.states]


def _links_from(args) -> dict:
    """The items a new action answers, named in the query string (`?warning_id=…`): {column: id}."""
    links = {}
    for name in LINKS:
        raw = args.get(name)
        if raw:
            number = values.whole_or(raw, None)
            if number is None:
                raise NotFound(_l("Not found."))
            links[name] = number
    return links


@bp.route("/actions/new", methods=["GET", "POST"])
@login_required
def new():
    """Assign an action, answering the items the page was opened from (shown, not editable)."""
    policy.require(current_user, "action.create")
    db = get_session()
    links = _links_from(request.args)
    items = service.links_asked(db, current_user, links)
    form = ActionForm()
    form.offer(service.owner_choices(db, current_user, links))
    if form.validate_on_submit():
        action = attempt(lambda: service.create(db, current_user, {**form.data_for_service(), **links}), form)
        if action is not None:
            flash(_("Action %(code)s assigned.", code=action.code), "info")
            return redirect(url_for("actions.detail", item_id=action.id))
    return render_template("actions/new.html", form=form, items=items)


@bp.route("/actions/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit(item_id: int):
    """Correct an action until it is submitted; a save based on an older page is refused."""
    db = get_session()
    action = service.get(db, current_user, item_id)
    back = refuse_edit(action, url_for("actions.detail", item_id=action.id))
    if back is not None:
        return back
    form = ActionEditForm(obj=action if request.method == "GET" else None)
    links = {name: getattr(action, name) for name in LINKS if getattr(action, name) is not None}
    form.offer(service.owner_choices(db, current_user, links))
    if request.method == "GET":
        form.owner.data = action.owner.username
    return edit_page(form, lambda data: service.update(db, current_user, action.id, data),
                     saved=_("Action %(code)s saved.", code=action.code),
                     to=url_for("actions.detail", item_id=action.id), template="actions/edit.html",
                     action=action, items=service.linked(db, [action])[action.id])


@bp.route("/actions/<int:item_id>", methods=["GET", "POST"])
@login_required
def detail(item_id: int):
    """An action: what is to be done, what it answers, its evidence, its timeline and the steps open to the
    user. A refused step redraws the page with what was typed; an action sent back shows the reason beside
    the report box, with the report it had waiting there to be edited."""
    db = get_session()
    action = service.get(db, current_user, item_id)
    filled = {"submit": {"values": {"report": action.report}}} if action.report else {}
    if request.method == "POST":
        refused = take_on_page(db, action, current_user)
        if refused is None:
            return redirect(url_for("actions.detail", item_id=action.id))
        filled.update(refused)
        action = service.get(db, current_user, item_id)
    today = periods.today()
    entries = history.visible_entries(db, current_user, "action", action.id)
    return render_template(
        "actions/detail.html", action=action, items=service.linked(db, [action])[action.id],
        transitions=transition_forms(db, action, current_user), filled=filled,
        sent_back=service.returned(entries, action), entries=entries, evidence_form=EvidenceForm(),
        files=attachments.for_item(db, "action", action.id), can_attach=service.may_attach(current_user, action),
        colour=service.colour(action, today), overdue=service.is_overdue(action, today))


register_kind("action", service.get, "actions.detail")
