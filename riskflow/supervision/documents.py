"""The recommendation letter (监察建议书) and the rectification notice (整改通知书) as PDFs."""
from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, current_app
from flask_babel import gettext as _
from flask_login import current_user, login_required
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from .. import periods
from ..db import get_session
from ..pdf import cjk_font, escape, styles
from ..web import send_download
from . import escalation, service
from .labels import ESCALATION_LABELS
from .models import Recommendation

bp = Blueprint("documents", __name__)


def _date_text(day: date) -> str:
    return _("%(y)s-%(m)s-%(d)s", y=day.year, m=f"{day.month:02d}", d=f"{day.day:02d}")


def _build(title: str, subtitle: str, blocks: list[tuple[str, str]], closing: list[str]) -> bytes:
    font, _embedded = cjk_font(current_app.config.get("FONT_PATH"))
    s = styles(font)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm,
                            bottomMargin=20 * mm, title=title, author="riskflow")
    story = [Paragraph(escape(title), s["title"]), Paragraph(escape(subtitle), s["subtitle"])]
    for heading, text in blocks:
        if heading:
            story.append(Paragraph(escape(heading), s["heading"]))
        story.append(Paragraph(escape(text), s["body"]))
    story.append(Spacer(1, 10 * mm))
    story += [Paragraph(escape(line), s["body"]) for line in closing]
    doc.build(story)
    return buffer.getvalue()


def recommendation_letter(rec: Recommendation) -> bytes:
    """The letter sent to the responsible unit: facts, basis, recommendation, reply deadline."""
    project = rec.project
    return _build(
        _("Supervision recommendation letter"),
        rec.letter_no,
        [
            ("", _("To: %(unit)s", unit=rec.responsible_unit.name)),
            ("", _("In the efficiency-supervision project %(code)s \"%(title)s\" we found the following.",
                   code=project.code, title=project.title)),
            (_("Facts found"), rec.finding),
            (_("Basis"), rec.basis or "—"),
            (_("Recommendation"), rec.recommendation),
            (_("Reply"), _("Please rectify and send the rectification report with evidence by %(date)s.",
                           date=_date_text(rec.due_date))),
        ],
        [project.lead_unit.name, _date_text(periods.local_date(rec.created_at))],
    )


def rectification_notice(rec: Recommendation, today: date) -> bytes:
    """The notice that presses an overdue rectification, in its escalation colour."""
    blue, red = escalation.settings()
    colour = escalation.colour(rec.due_date, rec.state == "verified", today, blue, red) or "yellow"
    days = (today - rec.due_date).days
    return _build(
        _("Rectification notice"),
        f"{rec.letter_no} · {ESCALATION_LABELS[colour]}",
        [
            ("", _("To: %(unit)s", unit=rec.responsible_unit.name)),
            ("", _("The rectification of recommendation %(no)s was due on %(date)s and is %(days)s days overdue.",
                   no=rec.letter_no, date=_date_text(rec.due_date), days=max(days, 0))),
            (_("Recommendation"), rec.recommendation),
            (_("Required"), _("Complete the rectification and submit the report with evidence at once; the "
                              "discipline inspection office follows it until it is verified.")),
        ],
        [rec.project.lead_unit.name, _date_text(today)],
    )


def send_pdf(data: bytes, name: str):
    """A PDF made in memory, shown in the browser (the supervision documents' one way out)."""
    return send_download(io.BytesIO(data), name, "application/pdf", as_attachment=False)


@bp.get("/recommendations/<int:rec_id>/letter.pdf")
@login_required
def recommendation_letter_pdf(rec_id: int):
    rec = service.get_recommendation(get_session(), current_user, rec_id)
    return send_pdf(recommendation_letter(rec), f"letter-{rec.id}.pdf")


@bp.get("/recommendations/<int:rec_id>/notice.pdf")
@login_required
def rectification_notice_pdf(rec_id: int):
    rec = service.get_recommendation(get_session(), current_user, rec_id)
    return send_pdf(rectification_notice(rec, periods.today()), f"notice-{rec.id}.pdf")
