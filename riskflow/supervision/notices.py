"""Efficiency-supervision notices (效能监察通知书): addressed to a unit while a project is filed and open,
numbered 监通〔YYYY〕N号 by the year they are issued, each with its PDF."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from .. import history, numbering, periods
from ..auth import policy
from ..auth.service import unit_by_code
from ..errors import Conflict, FieldErrors
from ..notifications import events
from ..validation import texts
from ..workflow import engine
from .models import SupervisionNotice, SupervisionProject
from .service import get_project

# A unit's roles read only the notices addressed to their unit (SupervisionNotice.unit_id); the company's all.
policy.allow("supervision_notice.read", policy.ALL)

NOTICE_NUMBERS = numbering.Series("notice", "监通〔{scope}〕{n}号", SupervisionNotice.number)
# A notice goes out once the project is filed (立项备案) and until it is closed or cancelled.
NOTICE_STATES = ("setup", "monitoring", "recommendation", "rectification")
LIMITS = {"subject": 200, "content": 8000}


def may_issue(actor, project: SupervisionProject) -> bool:
    """True when ACTOR may issue a notice on PROJECT now (the page shows the form)."""
    return policy.can(actor, "supervision.manage", project) and project.state in NOTICE_STATES


def notice_values(session: Session, data: dict, errors: FieldErrors) -> dict:
    """The checked values of a notice: the recipient Unit (`recipient_unit`, a unit code), subject and content."""
    result = texts(data, LIMITS, errors)
    for name in LIMITS:
        if name in result and not result[name]:
            errors.add(name, _l("This field is required."))
    code = data.get("recipient_unit")
    # unit_by_code refuses what is no unit code at all (a NUL byte, another type) before asking the database.
    unit = unit_by_code(session, code) if isinstance(code, str) and code else None
    if unit is None:
        errors.add("recipient_unit", _l("Unknown unit %(code)s.", code=code if isinstance(code, str) else ""))
    result["recipient_unit"] = unit
    return result


def issue_notice(session: Session, actor, project_id: int, data: dict) -> SupervisionNotice:
    """Issue a 效能监察通知书 to a unit on a filed, open project (an inspector); its unit's people are told."""
    project = get_project(session, actor, project_id)
    policy.require(actor, "supervision.manage", project)
    if project.state not in NOTICE_STATES:
        raise Conflict(_l("Notices are issued while the project is filed and open, not in the state %(state)s.",
                          state=engine.state_label(engine.definition(project), project.state)),
                       {"state": [_l("Not possible now.")]})
    errors = FieldErrors()
    checked = notice_values(session, data, errors)
    errors.raise_if_any(_l("The notice was not issued."))
    unit = checked.pop("recipient_unit")
    today = periods.today()
    notice = SupervisionNotice(
        project_id=project.id, number=numbering.next_code(session, NOTICE_NUMBERS, str(today.year)),
        year=today.year, recipient_unit_id=unit.id, issued_on=today, created_by_id=getattr(actor, "id", None),
        **checked)
    session.add(notice)
    session.flush()
    history.record(session, actor, "supervision_project", project.id, "notice",
                   changes={"notice": [None, notice.number], "recipient_unit": [None, unit.code]})
    session.expire(project, ["notices"])
    events.supervision_notice(session, notice)
    return notice


def get_notice(session: Session, actor, notice_id: int) -> SupervisionNotice:
    """A notice ACTOR may read: a unit's roles only those addressed to their unit (others are NotFound)."""
    return policy.require_found(actor, "supervision_notice.read", session.get(SupervisionNotice, notice_id))


def visible_notices(actor, project: SupervisionProject) -> list[SupervisionNotice]:
    """The project's notices ACTOR may read, oldest first."""
    return [notice for notice in project.notices if policy.can(actor, "supervision_notice.read", notice)]
