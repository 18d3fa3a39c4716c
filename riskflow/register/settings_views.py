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
from ..errors import FieldErrors, RiskflowError
from ..forms import CsrfOnlyForm, PageErrors, choices
from ..web import attempt
from . import grading, standard
from .forms import CategoryForm
from .labels import level_label, localized
from .models import GradingStandard

bp = Blueprint("settings", __name__)


AXES = {"likelihood": "l", "impact": "i"}


def _scale_from_form(prefix: str) -> tuple[tuple[grading.ScaleLevel, ...], dict[int, int]]:
    """The levels filled in on the form (a row with a Chinese or English name counts), and the form row
    of each level."""
    levels, rows = [], {}
    for n in range(1, grading.MAX_SIZE + 1):
        name = request.form.get(f"{prefix}_name_{n}", "").strip()
        name_en = request.form.get(f"{prefix}_name_en_{n}", "").strip()
        if name or name_en:
            levels.append(grading.ScaleLevel(len(levels) + 1, name, name_en,
                                             request.form.get(f"{prefix}_desc_{n}", "").strip(),
                                             request.form.get(f"{prefix}_desc_en_{n}", "").strip()))
            rows[len(levels)] = n
    return tuple(levels), rows


def standard_from_form(current: grading.Standard) -> tuple[grading.Standard, dict]:
    """A new standard from the edit form, and the form row of each scale level (to show a level's problem
    at its row); raises Invalid for numbers that are not numbers."""
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
    (likelihood, l_rows), (impact, i_rows) = _scale_from_form("l"), _scale_from_form("i")
    cells = {}
    for l in range(1, len(likelihood) + 1):
        for i in range(1, len(impact) + 1):
            code = request.form.get(f"cell_{l}_{i}", "")
            if code:
                cells[(l, i)] = code
    return grading.Standard(likelihood, impact, tuple(bands), cells), {"likelihood": l_rows, "impact": i_rows}


def input_id(part: str, rows: dict) -> str:
    """The id of the form input that shows a problem with PART of the standard (see grading.check_fields)."""
    head, *rest = part.split(".")
    if head in AXES:
        if not rest:
            return f"{AXES[head]}_name_1"
        row = rows.get(head, {}).get(int(rest[0]), int(rest[0]))
        return f"{AXES[head]}_{rest[1]}_{row}"
    if head == "bands":
        return f"band_{rest[0] if rest else grading.LEVELS[0]}_min"
    if head == "cells":
        return f"cell_{rest[0]}_{rest[1]}"
    return part


def input_labels(max_size: int) -> dict[str, str]:
    """What each input of the standard's form is called, for the list of refused inputs."""
    labels = {"note": _("Note on this version")}
    for axis, prefix in AXES.items():
        axis_name = _("Likelihood") if axis == "likelihood" else _("Impact")
        for n in range(1, max_size + 1):
            labels[f"{prefix}_name_{n}"] = _("%(axis)s %(n)s: name", axis=axis_name, n=n)
            labels[f"{prefix}_name_en_{n}"] = _("%(axis)s %(n)s: English name", axis=axis_name, n=n)
    for code in grading.LEVELS:
        labels[f"band_{code}_min"] = _("%(level)s: lowest score", level=level_label(code))
    for l in range(1, max_size + 1):
        for i in range(1, max_size + 1):
            labels[f"cell_{l}_{i}"] = _("L%(l)s × I%(i)s", l=l, i=i)
    return labels


@bp.route("/standard", methods=["GET", "POST"])
@login_required
def standard_page():
    """The grading standard in force; the risk manager saves a new version here. A refused one comes back
    as typed, each reason at its input."""
    db = get_session()
    policy.require(current_user, "standard.read")
    record, current = standard.current(db)
    form = CsrfOnlyForm()
    can_edit = policy.can(current_user, "standard.manage")
    errors, typed = {}, {}
    if request.method == "POST":
        policy.require(current_user, "standard.manage")
        if form.validate_on_submit():
            rows = {}
            try:
                proposed, rows = standard_from_form(current)
                saved = standard.save_version(db, current_user, proposed, request.form.get("note", ""))
            except RiskflowError as exc:
                db.rollback()
                for part, messages in exc.errors.items():
                    errors.setdefault(input_id(part, rows), []).extend(str(m) for m in messages)
            else:
                db.commit()
                flash(_("Version %(n)s of the standard is in force; past grades keep theirs.", n=saved.version),
                      "info")
                return redirect(url_for("settings.standard_page"))
        typed = request.form
    versions = list(db.scalars(select(GradingStandard).order_by(GradingStandard.version.desc()).limit(10)))
    return render_template("register/standard.html", record=record, standard=current,
                           matrix=grading.matrix(current), form=form, can_edit=can_edit, versions=versions,
                           levels=grading.LEVELS, max_size=grading.MAX_SIZE, typed=typed,
                           refused=PageErrors(errors, input_labels(grading.MAX_SIZE)),
                           default_note=standard.DEFAULT_NOTE)


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
