"""The project page's mid-year inspection section: the inspections recorded, the recommendations raised from
each, and the form 登记年中检查 for the inspection office."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..auth import policy
from ..db import get_session
from ..web import attempt
from . import inspections, service
from .forms import InspectionForm
from .labels import INSPECTION_METHOD_LABELS, INSPECTION_RATING_LABELS
from .views import ACTION_LABELS, bp, project_page, project_section

TEMPLATE = "supervision/_inspection.html"
PREFIX = "inspection"  # the ids of its fields stay apart from the other sections'
ACTION_LABELS.update({"inspection": _l("Mid-year inspection recorded"),
                      "inspection_update": _l("Mid-year inspection corrected")})


@project_section(40, TEMPLATE)
def provide(db, user, project, form):
    """The inspections of PROJECT with what each raised, and the form when USER may record one."""
    may_record = inspections.may_record(user, project)
    return {
        "inspections": [(i, inspections.raised_from(user, project, i)) for i in inspections.of_project(db, project.id)],
        "form": (form or InspectionForm(prefix=PREFIX, formdata=None)) if may_record else None,
        "methods": INSPECTION_METHOD_LABELS, "ratings": INSPECTION_RATING_LABELS,
    }


@bp.post("/supervision/<int:item_id>/inspections")
@login_required
def inspection_new(item_id: int):
    """Record the mid-year inspection from the project page; a refused one comes back as typed."""
    db = get_session()
    project = service.get_project(db, current_user, item_id)
    policy.require(current_user, "supervision.manage", project)
    form = InspectionForm(prefix=PREFIX)
    if form.validate_on_submit():
        inspection = attempt(lambda: inspections.record_inspection(db, current_user, project.id,
                                                                   form.data_for_service()), form)
        if inspection is not None:
            flash(_("Mid-year inspection of %(date)s recorded.", date=inspection.held_on.isoformat()), "info")
            return redirect(url_for("supervision.project_detail", item_id=project.id, _anchor="inspection"))
        project = service.get_project(db, current_user, item_id)
    return project_page(db, project, refused=(TEMPLATE, form), status=422)
