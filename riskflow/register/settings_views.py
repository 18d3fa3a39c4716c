"""The grading standard and the risk categories: read by all, edited by the risk manager."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import values
from ..auth import policy
from ..db import get_session
from ..errors import FieldErrors
from ..forms import CsrfOnlyForm, choices
from ..web import attempt
from . import grading, standard
from .forms import CategoryForm
from .labels import localized
from .models import GradingStandard

bp = Blueprint("settings", __name__)



def _scale_from_form(prefix: str) -> tuple[grading.ScaleLevel, ...]:
    """The levels filled in on the form: a row with a Chinese or English name counts."""
    levels = []
    for n in range(1, grading.MAX_SIZE + 1):
        name = request.form.get(f"{prefix}_name_{n}", "").strip()
        name_en = request.form.get(f"{prefix}_name_en_{n}", "").strip()
        if name or name_en:
            levels.append(grading.ScaleLevel(len(levels) + 1, name, name_en,
                                             request.form.get(f"{prefix}_desc_{n}", "").strip(),
                                             request.form.get(f"{prefix}_desc_en_{n}", "").strip()))
    return tuple(levels)


def standard_from_form(current: grading.Standard) -> grading.Standard:
    """A new standard from the edit form; raises Invalid for numbers that are not numbers."""
    errors = FieldErrors()
    bands = []
    for band in current.bands:
        try:
            min_score = values.whole(request.form.get(f"band_{band.code}_min", ""))
        except ValueError:
            errors.add(f"band_{band.code}_min", values.WHOLE_MESSAGE)
            continue
        bands.append(grading.Band(band.code, request.form.get(f"band_{band.code}_name", band.name).strip(),
                                  request.form.get(f"band_{band.code}_name_en", band.name_en).strip(),
                                  band.colour, min_score))
    errors.raise_if_any(_l("The standard was not saved."))
    likelihood, impact = _scale_from_form("l"), _scale_from_form("i")
    cells = {}
    for l in range(1, len(likelihood) + 1):
        for i in range(1, len(impact) + 1):
            code = request.form.get(f"cell_{l}_{i}", "")
            if code:
                cells[(l, i)] = code
    return grading.Standard(likelihood, impact, tuple(bands), cells)


@bp.route("/standard", methods=["GET", "POST"])
@login_required
def standard_page():
    """The grading standard in force; the risk manager saves a new version here."""
    db = get_session()
    policy.require(current_user, "standard.read")
    record, current = standard.current(db)
    form = CsrfOnlyForm()
    can_edit = policy.can(current_user, "standard.manage")
    shown = current
    if request.method == "POST":
        policy.require(current_user, "standard.manage")
        if form.validate_on_submit():
            saved = attempt(lambda: standard.save_version(db, current_user, standard_from_form(current),
                                                          request.form.get("note", "")))
            if saved is not None:
                flash(_("Version %(n)s of the standard is in force; past grades keep theirs.", n=saved.version),
                      "info")
                return redirect(url_for("settings.standard_page"))
    versions = list(db.scalars(select(GradingStandard).order_by(GradingStandard.version.desc()).limit(10)))
    return render_template("register/standard.html", record=record, standard=shown,
                           matrix=grading.matrix(shown), form=form, can_edit=can_edit, versions=versions,
                           levels=grading.LEVELS, max_size=grading.MAX_SIZE)


@bp.route("/categories", methods=["GET", "POST"])
@login_required
def categories():
    """The two-level category tree; the risk manager adds categories."""
    db = get_session()
    policy.require(current_user, "category.read")
    form = CategoryForm()
    tops = [c for c in standard.list_categories(db) if c.parent_id is None]
    form.parent.choices = choices([("", "—")] + [(c.code, localized(c)) for c in tops])
    if request.method == "POST":
        policy.require(current_user, "category.manage")
        if form.validate_on_submit():
            created = attempt(lambda: standard.create_category(
                db, current_user, form.code.data, form.name.data, form.name_en.data, form.parent.data or None), form)
            if created is not None:
                flash(_("Category %(code)s added.", code=created.code), "info")
                return redirect(url_for("settings.categories"))
    return render_template("register/categories.html", categories=standard.list_categories(db), form=form,
                           can_edit=policy.can(current_user, "category.manage"))
