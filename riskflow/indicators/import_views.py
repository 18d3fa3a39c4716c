"""The indicators' import page: finance's targets of a year, or a month's values, from a spreadsheet; and the
workbook to fill in."""
from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from .. import periods
from ..auth import policy
from ..db import get_session
from ..errors import Forbidden, NotFound, RiskflowError
from ..web import send_download
from . import importing
from .importing import TARGET_COLUMNS, VALUE_COLUMNS
from .models import Indicator

bp = Blueprint("indicator_import", __name__)

KIND_LABELS = {"targets": _l("A year's targets and monthly budgets"), "values": _l("A month's values")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class IndicatorImportForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), choices=[])
    year = StringField(_l("Year (for targets)"), validators=[Optional(), Length(max=4)])
    period = StringField(_l("Month (for values), YYYY-MM"), validators=[Optional(), Length(max=7)])
    file = FileField(_l("File (.xlsx or .csv)"), validators=[
        FileRequired(), FileAllowed(["xlsx", "csv"], message=_l("Upload an .xlsx or .csv file."))])


def _kinds(db) -> list[str]:
    """What the signed-in user may import: targets are the risk manager's; values are a unit's roles', and a
    company-wide indicator's named owner's."""
    kinds = []
    if policy.can(current_user, "indicator.manage"):
        kinds.append("targets")
    if policy.role_allows(current_user, "indicator.record") or db.scalar(
            select(Indicator.id).where(Indicator.owner_id == current_user.id).limit(1)) is not None:
        kinds.append("values")
    if not kinds:
        raise Forbidden(_l("Your role may not do this."))
    return kinds


# The service's fields the form draws; its other errors name cells of the file.
FORM_FIELDS = {"kind": "kind", "year": "year", "period": "period", "file": "file", "columns": "file"}


@bp.route("/indicators/import", methods=["GET", "POST"])
@login_required
def upload():
    """Upload finance's targets or a month's values; a refused file comes back with every bad cell named and
    the kind, year and month as chosen."""
    db = get_session()
    form = IndicatorImportForm()
    form.kind.choices = [(kind, KIND_LABELS[kind]) for kind in _kinds(db)]
    cells = []
    if form.validate_on_submit():
        file = form.file.data
        data = file.read()
        try:
            if form.kind.data == "targets":
                done = importing.import_targets(db, current_user, data, file.filename, form.year.data)
            else:
                done = importing.import_values(db, current_user, data, file.filename, form.period.data)
        except RiskflowError as exc:
            db.rollback()
            cells = _show_refusal(form, exc)
        else:
            db.commit()
            _flash_imported(form, done)
            return redirect(url_for(".upload", kind=form.kind.data, year=form.year.data, period=form.period.data))
    elif request.method == "GET":
        kind = request.args.get("kind")
        form.kind.data = kind if kind in dict(form.kind.choices) else form.kind.choices[0][0]
        form.year.data = request.args.get("year") or str(periods.current_year())
        form.period.data = request.args.get("period") or periods.previous(periods.current())
    return render_template("indicators/import.html", form=form, cells=cells, kinds=dict(form.kind.choices),
                           target_columns=TARGET_COLUMNS, value_columns=VALUE_COLUMNS)


def _show_refusal(form, exc: RiskflowError) -> list[tuple[str, list[str]]]:
    """Put the refusal's errors at the form's fields; the rest name cells of the file, returned for the list.
    The file field carries the refusal's own message unless the fault is only in the year or month."""
    cells = []
    for name, messages in exc.errors.items():
        field = FORM_FIELDS.get(name)
        if field is None:
            cells.append((name, [str(m) for m in messages]))
        else:
            errors = getattr(form, field).errors
            errors += [str(m) for m in messages if str(m) not in errors]
    if cells or not exc.errors:
        form.file.errors = [str(exc.message)] + [m for m in form.file.errors if m != str(exc.message)]
    return cells


def _flash_imported(form, done) -> None:
    if form.kind.data == "targets":
        flash(ngettext("The %(year)s targets of %(num)d indicator were imported.",
                       "The %(year)s targets of %(num)d indicators were imported.", done.count, year=form.year.data),
              "info")
    else:
        flash(ngettext("%(num)d value for %(period)s was imported (breached: %(breached)d).",
                       "%(num)d values for %(period)s were imported (breached: %(breached)d).", done.count,
                       period=form.period.data, breached=done.breached), "info")
    if done.skipped:
        flash(ngettext("%(num)d row without figures was skipped.", "%(num)d rows without figures were skipped.",
                       done.skipped), "info")


@bp.get("/indicators/import/template")
@login_required
def template():
    """The workbook to fill in: the headings an import reads and a row for each indicator the user may import."""
    kind = request.args.get("kind", "targets")
    if kind not in importing.KINDS:
        raise NotFound(_l("Not found."))
    buffer = io.BytesIO()
    importing.template(get_session(), current_user, kind, buffer)
    buffer.seek(0)
    return send_download(buffer, f"indicator-{kind}.xlsx", XLSX)
