"""The pages' door into the workflow engine: one form per allowed transition."""
from __future__ import annotations

from typing import Callable

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..db import get_session
from ..errors import NotFound, RiskflowError
from ..forms import CsrfOnlyForm
from ..web import attempt
from . import engine

bp = Blueprint("workflow", __name__)

# kind -> (loader(session, actor, id), endpoint of the item's page)
KINDS: dict[str, tuple[Callable, str]] = {}


def register_kind(kind: str, loader: Callable, endpoint: str) -> None:
    """Let the pages fire transitions on items of KIND."""
    KINDS[kind] = (loader, endpoint)


def kind_of(kind: str) -> tuple[Callable, str]:
    """The loader and page endpoint of KIND; a kind nobody registered is not found."""
    if kind not in KINDS:
        raise NotFound(_l("Not found."))
    return KINDS[kind]


@bp.post("/fire/<kind>/<int:item_id>/<name>")
@login_required
def fire(kind: str, item_id: int, name: str):
    """Take a transition from an item's page; the reason for a refusal is shown there."""
    loader, endpoint = kind_of(kind)
    db = get_session()
    item = loader(db, current_user, item_id)
    back = url_for(endpoint, **{"item_id": item_id})
    if not CsrfOnlyForm().validate_on_submit():
        flash(_("The form expired or was not sent from this site; reload the page and try again."), "error")
        return redirect(back)
    fields = {key: value for key, value in request.form.items() if key in ("comment", "report")}
    done = attempt(lambda: engine.fire(db, item, name, current_user, **fields))
    if done is not None:
        flash(_("Done: %(name)s.", name=engine.transition_label(engine.definition(item).transitions[name])), "info")
    return redirect(back)


def transition_forms(session, item, actor) -> list[dict]:
    """The transitions ACTOR's role may take from the item's state, with the fields each asks for;
    one whose guard fails comes with the reason, so the page can say why it is not open yet."""
    return [{"name": t.name, "label": engine.transition_label(t), "requires": t.requires, "blocked": reason}
            for t, reason in engine.options(session, item, actor)]


def take_on_page(session, item, actor) -> dict | None:
    """Take the transition a page's own form posted (field `transition`) on ITEM, with its comment or report.

    Returns None when it was taken (committed, and said so), else what the page draws again in
    `transition_buttons(..., filled=...)`: {name: {"values": typed, "errors": reasons by box}}, the refusal
    flashed with the reasons no box shows."""
    name = request.form.get("transition", "")
    typed = {key: request.form[key] for key in ("comment", "report") if key in request.form}
    if not CsrfOnlyForm().validate_on_submit():
        flash(_("The form expired or was not sent from this site; reload the page and try again."), "error")
        return {name: {"values": typed, "errors": {}}}
    try:
        engine.fire(session, item, name, actor, **typed)
    except RiskflowError as exc:
        session.rollback()
        placed = {key: [str(m) for m in exc.errors.get(key, [])] for key in typed}
        unplaced = [str(m) for key, messages in exc.errors.items() if key not in typed for m in messages]
        flash(" ".join([str(exc.message)] + unplaced), "error")
        return {name: {"values": typed, "errors": placed}}
    session.commit()
    flash(_("Done: %(name)s.", name=engine.transition_label(engine.definition(item).transitions[name])), "info")
    return None
