"""The unit head's page proposing a project for their unit (提出立项建议)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import periods
from ..auth import policy
from ..db import get_session
from ..forms import choices_with_prompt
from ..web import attempt
from . import kinds, proposals, service  # noqa: F401  (proposals: the workflow's effects of a proposal)
from .forms import ProposalForm
from .views import bp


@bp.route("/supervision/propose", methods=["GET", "POST"])
@login_required
def propose():
    """A unit head proposes a project for their own unit; the inspection office files it or sends it back."""
    policy.require(current_user, "supervision.propose")
    db = get_session()
    form = ProposalForm()
    form.kind.choices = choices_with_prompt(kinds.labels(db).items())  # nothing chosen for the head
    if request.method == "GET":
        form.year.data = periods.today().year
    if form.validate_on_submit():
        project = attempt(lambda: service.create_project(db, current_user, form.data_for_service()), form)
        if project is not None:
            flash(_("Proposal %(code)s sent to the inspection office for review.", code=project.code), "info")
            return redirect(url_for("supervision.project_detail", item_id=project.id))
    return render_template("supervision/propose.html", form=form, proposing_unit=current_user.unit)
