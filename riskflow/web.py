"""Helpers shared by the page views (and the downloads the API sends the same way)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from . import editing, values
from .auth import policy
from .charts import svg as chart_svg
from .db import get_session
from .errors import RiskflowError
from .i18n import current_language


def show_errors(form, exc: RiskflowError, fields: dict | None = None) -> None:
    """Put a service's field errors on FORM's fields and flash its message (with the errors no field shows).
    FIELDS maps a service's field name to the form's where they differ."""
    unplaced = []
    for name, messages in exc.errors.items():
        field = getattr(form, (fields or {}).get(name, name), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + [str(m) for m in messages]
        else:
            unplaced += [str(m) for m in messages]
    flash(" ".join([str(exc.message)] + unplaced), "error")


def error_text(exc: RiskflowError) -> str:
    """A refusal as one sentence: the message, then each field's reasons."""
    details = [str(m) for messages in exc.errors.values() for m in messages]
    return " ".join([str(exc.message)] + details)


def flash_error(exc: RiskflowError) -> None:
    """Flash a refusal that has no form field to sit on."""
    flash(error_text(exc), "error")


def attempt(action, form=None, fields: dict | None = None):
    """Run a service call for a page: commit and return its result, or on a refusal roll
    back, show the reasons (on FORM's fields when given, FIELDS naming the form's field of a service's
    field where they differ) and return None."""
    db = get_session()
    try:
        result = action()
    except RiskflowError as exc:
        db.rollback()
        if form is not None:
            show_errors(form, exc, fields)
        else:
            flash_error(exc)
        return None
    db.commit()
    return result


def refuse_edit(item, to: str):
    """None when the signed-in user may edit ITEM now; else the way back to TO, with the reason (a role that
    may not edit it at all is refused outright)."""
    policy.require(current_user, editing.action_of(item), item)
    if editing.may_edit(current_user, item):
        return None
    flash(_l("This can no longer be changed in the state %(state)s.", state=editing.state_label(item)), "error")
    return redirect(to)


def edit_page(form, save, *, saved: str, to: str, template: str, **context):
    """An edit page: on a valid POST, SAVE(the form's data with the version the page showed) through the
    service, then back to TO with the SAVED message; otherwise (a GET, or a refusal) the page drawn again
    from FORM, so that what was typed stays, each error at its field."""
    if request.method == "POST" and form.validate_on_submit():
        if attempt(lambda: save({**form.data_for_service(), "version": form.version_read()}), form) is not None:
            flash(saved, "info")
            return redirect(to)
    return render_template(template, form=form, **context)


def flash_form_errors(form) -> None:
    """Flash a form's own validation errors, for forms whose page is elsewhere (a redirect follows)."""
    for name, messages in form.errors.items():
        flash(f"{getattr(form, name).label.text}: {' '.join(messages)}", "error")


PER_PAGE = 50


@dataclass
class Page:
    """One page of a list: its rows, how many there are in all, which page of how many."""

    items: list
    total: int
    page: int
    pages: int


def paged(db, stmt, arg: str = "page", per_page: int = PER_PAGE) -> Page:
    """The page of STMT's rows that the request's ARG asks for (the first when absent or bad)."""
    page = _requested_page(arg)
    total = db.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(db.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
    return _page(items, total, page, per_page)


def paged_list(items: list, arg: str = "page", per_page: int = PER_PAGE) -> Page:
    """The requested page of a list computed in Python."""
    page = _requested_page(arg)
    return _page(items[(page - 1) * per_page:page * per_page], len(items), page, per_page)


MAX_PAGE = 1_000_000


def _requested_page(arg: str) -> int:
    try:
        return min(max(values.whole(request.args.get(arg, "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


def _page(items: list, total: int, page: int, per_page: int) -> Page:
    return Page(items, total, page, max((total + per_page - 1) // per_page, 1))


def send_download(source, name: str, mimetype: str, *, as_attachment: bool = True):
    """SOURCE (a path or a file object) sent as NAME. The name is cleaned here too, for files named before
    names were cleaned on upload: the Content-Disposition header is then always valid, with werkzeug's
    RFC 5987 `filename*` beside an ASCII `filename` when the name is not ASCII."""
    return send_file(source, mimetype=mimetype, as_attachment=as_attachment,
                     download_name=values.safe_filename(name, "download"))


def safe_next(target: str | None, default: str) -> str:
    """TARGET when it is a path on this site, else DEFAULT: the one rule for every `next` and `back` a
    page follows, so that none redirects elsewhere. Browsers read a backslash as a slash and drop tabs and
    line breaks inside a URL, so a path holding any of them could lead off the site: it is refused too."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


# (order, endpoint, label, action the user must be allowed, or None). Features add theirs.
NAV: list[tuple[int, str, object, str | None]] = []


def add_nav(order: int, endpoint: str, label, action: str | None = None) -> None:
    """Show a link in the main navigation to those whose role may take ACTION."""
    NAV.append((order, endpoint, label, action))
    NAV.sort(key=lambda item: item[0])


def nav_items() -> tuple[tuple[str, str, str], ...]:
    """The navigation links the signed-in user may follow: (endpoint, url, label)."""
    user = current_user._get_current_object()
    if not getattr(user, "is_authenticated", False) or not user.active:
        return ()
    return _nav_for(user.role, current_language(), request.script_root)


@lru_cache(maxsize=64)
def _nav_for(role: str, _language: str, _root: str) -> tuple[tuple[str, str, str], ...]:
    # Every page draws the navigation: built once per role, language and mount point.
    return tuple((endpoint, url_for(endpoint), str(label)) for _, endpoint, label, action in NAV
                 if action is None or role in policy.PERMISSIONS[action])


UNIT_KIND_LABELS = {"sales": _l("Sales unit"), "inspection": _l("Discipline inspection"), "management": _l("Department")}


def actor_name(name: str):
    """A history or archive author as people read it: the scheduler and commands are "system"."""
    return _l("system (scheduled job or command)") if name == "system" else name


def human_size(size: int) -> str:
    """A file size as people read it: bytes under 1 KB ("512 字节"), else KB or MB with one decimal."""
    if size < 1024:
        return ngettext("%(num)s byte", "%(num)s bytes", size)
    if size < 1024 * 1024:
        return _("%(size)s KB", size=f"{size / 1024:.1f}")
    return _("%(size)s MB", size=f"{size / (1024 * 1024):.1f}")


def init_app(app) -> None:
    """Template helpers for every page."""
    app.jinja_env.globals.update(nav_items=nav_items, current_lang=current_language,
                                 unit_kind_label=lambda kind: UNIT_KIND_LABELS.get(kind, kind))
    app.jinja_env.filters["actor"] = actor_name
    app.jinja_env.globals["may_edit"] = lambda item: editing.may_edit(current_user, item)
    app.jinja_env.filters["human_size"] = human_size
    app.jinja_env.globals["chart_svg"] = chart_svg  # templates/charts.html


add_nav(0, "main.dashboard", _l("Dashboard"))
add_nav(90, "main.settings", _l("More"))
