"""The 效能监察通知书 and the project's filing form (立项呈报表) as PDFs, in the house style of the letters."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from .. import history, periods
from .documents import _build, _date_text
from .kinds import label as kind_label
from .labels import METHOD_LABELS, ORIGIN_LABELS
from .models import SupervisionNotice, SupervisionProject

# The blank approval line of a form not filed yet: signed by hand.
BLANK = "________________"


def notice_pdf(notice: SupervisionNotice) -> bytes:
    """The notice sent to its unit: number, addressee, subject, content, the project, the lead unit and date."""
    project = notice.project
    return _build(
        _("Supervision notice"),
        notice.number,
        [
            ("", _("To the unit: %(unit)s", unit=notice.recipient_unit.name)),
            ("", _("Subject: %(subject)s", subject=notice.subject)),
            ("", notice.content),
            ("", _("Efficiency-supervision project: %(code)s \"%(title)s\"", code=project.code, title=project.title)),
        ],
        [project.lead_unit.name, _date_text(notice.issued_on)],
    )


def _fact(label: str, value) -> tuple[str, str]:
    return "", _("%(label)s: %(value)s", label=label, value=value if value not in (None, "") else "—")


def _period(project: SupervisionProject) -> str:
    if not project.start_date and not project.end_date:
        return "—"
    return " – ".join(_date_text(day) if day else "—" for day in (project.start_date, project.end_date))


def filing_entry(session: Session, project: SupervisionProject):
    """The history entry of the project's filing (立项备案), the latest when there are several; None before."""
    filed = [entry for entry in history.entries(session, "supervision_project", project.id) if entry.action == "file"]
    return filed[-1] if filed else None


def filing_form_pdf(session: Session, project: SupervisionProject) -> bytes:
    """The filing form: the project's facts, reason, scope, control points and plan, and the approval line (who
    filed it and when, or blank lines to sign before it is filed)."""
    blocks = [
        _fact(_("Project"), project.title),
        _fact(_("Project code"), project.code),
        _fact(_("Year"), project.year),
        _fact(_("Kind"), kind_label(project.kind)),
        _fact(_("Method"), METHOD_LABELS.get(project.method, project.method)),
        _fact(_("Lead unit"), project.lead_unit.name),
        _fact(_("Participating units"), "、".join(unit.name for unit in project.participating_units)),
        _fact(_("Period"), _period(project)),
        _fact(_("Origin"), ORIGIN_LABELS.get(project.origin, project.origin)),
        (_("Reason for the project"), project.reason or "—"),
        (_("Scope"), project.scope or "—"),
        (_("Key control points"), project.control_points or "—"),
        (_("Work plan"), project.plan or "—"),
    ]
    entry = filing_entry(session, project)
    if entry is not None:
        approval = [_("Filed by %(name)s on %(date)s", name=entry.actor,
                      date=_date_text(periods.local_date(entry.at)))]
    else:
        approval = [_("Approval opinion: %(blank)s", blank=BLANK), _("Signature: %(blank)s", blank=BLANK),
                    _("Date: %(blank)s", blank=BLANK)]
    return _build(_("Supervision project filing form"), project.code, blocks, approval)
