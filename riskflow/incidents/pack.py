"""The quarterly incident review pack: figures collected from the library, then rendered as a PDF."""
from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import case, func

from .. import periods
from ..errors import Invalid
from ..pdf import FastTable, cjk_font, escape, styles
from ..register.labels import LEVEL_LABELS
from ..register.risks import latest_assessments
from ..workflow import engine
from ..actions import service as actions
from ..actions.models import OPEN_STATES, Action
from . import meetings, service
from .labels import KIND_LABELS, LOSS_TYPE_LABELS, SEVERITY_LABELS
from .models import SEVERITY_DIMENSIONS, Incident


@dataclass
class Totals:
    count: int = 0
    loss_events: int = 0
    near_misses: int = 0
    gross: Decimal = Decimal(0)
    recoveries: Decimal = Decimal(0)

    @property
    def net(self) -> Decimal:
        return self.gross - self.recoveries

    def add(self, incident: Incident) -> None:
        self.count += 1
        if incident.kind == "loss_event":
            self.loss_events += 1
        else:
            self.near_misses += 1
        self.gross += incident.gross_loss
        self.recoveries += incident.recoveries


CENT = Decimal("0.01")


def quarter_totals(session, stmt) -> list[tuple[str, Totals]]:
    """Totals by quarter, newest first, of the incidents STMT (a service.query) selects: one aggregate."""
    loss_event = case((Incident.kind == "loss_event", 1), else_=0)
    stmt = (stmt.order_by(None).with_only_columns(Incident.quarter, func.count(), func.sum(loss_event),
                                                  func.sum(Incident.gross_loss), func.sum(Incident.recoveries))
            .group_by(Incident.quarter).order_by(Incident.quarter.desc()))
    return [(quarter, Totals(n, int(losses or 0), n - int(losses or 0), Decimal(str(gross or 0)).quantize(CENT),
                             Decimal(str(recovered or 0)).quantize(CENT)))
            for quarter, n, losses, gross, recovered in session.execute(stmt)]


@dataclass
class QuarterPack:
    quarter: str
    incidents: list[Incident]
    totals: Totals
    by_unit: dict[str, Totals]
    by_loss_type: dict[str, Totals]
    by_dimension: dict[str, tuple[int, int]]  # dimension -> (incidents with any severity, highest severity)
    linked_risks: list = field(default_factory=list)  # (risk, newest assessment or None, incidents)
    # Open actions on the quarter's incidents: (incident, action), and (incident, None) for a corrective action
    # recorded as text only (before actions, or through the API without a user as owner) and not done.
    open_actions: list[tuple] = field(default_factory=list)
    # The quarter's review meetings, each with the actions it decided.
    meetings: list[tuple] = field(default_factory=list)


def collect(session, actor, quarter: str) -> QuarterPack:
    """Every figure of QUARTER's pack, over the incidents ACTOR may see."""
    if not periods.is_quarter(quarter):
        raise Invalid.field("quarter", periods.QUARTER_MESSAGE)
    incidents = sorted(session.scalars(service.query(actor, quarter=quarter)).unique(),
                       key=lambda i: (i.unit.code, i.occurred_on, i.code))
    totals = Totals()
    by_unit: dict[str, Totals] = defaultdict(Totals)
    by_type: dict[str, Totals] = defaultdict(Totals)
    risks: dict[int, tuple] = {}
    for incident in incidents:
        totals.add(incident)
        by_unit[incident.unit.name].add(incident)
        by_type[incident.loss_type or "unclassified"].add(incident)
        for risk in service.linked_risks(actor, incident):
            risk_entry = risks.setdefault(risk.id, [risk, 0])
            risk_entry[1] += 1
    by_dimension = {}
    for dimension in SEVERITY_DIMENSIONS:
        values = [getattr(i, dimension) for i in incidents]
        by_dimension[dimension] = (len([v for v in values if v > 0]), max(values, default=0))
    grades = latest_assessments(session, risks)
    linked = [(risk, grades.get(rid), count) for rid, (risk, count) in sorted(risks.items(),
                                                                              key=lambda kv: kv[1][0].code)]
    by_incident: dict[int, list[Action]] = defaultdict(list)
    if incidents:
        for action in session.scalars(actions.query(actor).where(
                Action.incident_id.in_([i.id for i in incidents]))):
            by_incident[action.incident_id].append(action)
    open_actions = []
    for incident in incidents:
        linked_actions = by_incident.get(incident.id)
        if linked_actions:
            open_actions += [(incident, a) for a in linked_actions if a.state in OPEN_STATES]
        elif incident.corrective_action and not incident.action_done:
            open_actions.append((incident, None))
    held = meetings.for_quarter(session, actor, quarter)
    decided = meetings.decisions_of(session, actor, [m.id for m, _ in held])
    return QuarterPack(quarter, incidents, totals, dict(sorted(by_unit.items())), dict(sorted(by_type.items())),
                       by_dimension, linked, open_actions, [(m, decided.get(m.id, [])) for m, _ in held])


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _table(rows, widths, font, header_rows=1):
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e4ecf7")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9fb3c8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def render(pack: QuarterPack, language: str = "zh_CN") -> bytes:
    """The pack as a PDF in LANGUAGE, with the CJK font embedded."""
    with force_locale(language):
        return _render(pack)


def _render(pack: QuarterPack) -> bytes:
    font, _embedded = cjk_font(current_app.config.get("FONT_PATH"))
    s = styles(font)
    buffer = io.BytesIO()
    title = _("Risk event review pack, %(quarter)s", quarter=pack.quarter)
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=18 * mm,
                            bottomMargin=15 * mm, title=title, author="riskflow")
    t = pack.totals
    story = [
        Paragraph(escape(title), s["title"]),
        Paragraph(escape(_("%(n)s incidents: %(loss)s loss events, %(near)s near misses; gross loss %(gross)s yuan, "
                           "recovered %(rec)s yuan, net loss %(net)s yuan.", n=t.count, loss=t.loss_events,
                           near=t.near_misses, gross=_money(t.gross), rec=_money(t.recoveries),
                           net=_money(t.net))), s["subtitle"]),
        Paragraph(escape(_("By unit")), s["heading"]),
    ]
    header = [_("Unit"), _("Incidents"), _("Loss events"), _("Near misses"), _("Net loss (yuan)")]
    rows = [header] + [[name, x.count, x.loss_events, x.near_misses, _money(x.net)] for name, x in pack.by_unit.items()]
    rows.append([_("Total"), t.count, t.loss_events, t.near_misses, _money(t.net)])
    story.append(_table(rows, [60 * mm, 25 * mm, 25 * mm, 25 * mm, 40 * mm], font))
    story.append(Paragraph(escape(_("By loss type")), s["heading"]))
    rows = [[_("Loss type"), _("Incidents"), _("Net loss (yuan)")]] + [
        [str(LOSS_TYPE_LABELS.get(code, _("Unclassified"))), x.count, _money(x.net)]
        for code, x in pack.by_loss_type.items()]
    story.append(_table(rows, [95 * mm, 30 * mm, 50 * mm], font))
    story.append(Paragraph(escape(_("By dimension")), s["heading"]))
    rows = [[_("Dimension"), _("Incidents with an effect"), _("Highest severity (0-5)")]] + [
        [str(SEVERITY_LABELS[d]), n, top] for d, (n, top) in pack.by_dimension.items()]
    story.append(_table(rows, [60 * mm, 55 * mm, 60 * mm], font))
    story.append(Paragraph(escape(_("Incidents of the quarter")), s["heading"]))
    incident_flow = engine.workflows()["incident"]
    story.append(FastTable(
        [_("Code"), _("Incident"), _("Unit"), _("Kind"), _("Occurred"), _("Net loss (yuan)"), _("Status")],
        [[i.code, i.title, i.unit.name, KIND_LABELS[i.kind], i.occurred_on.isoformat(), _money(i.net_loss),
          engine.state_label(incident_flow, i.state)] for i in pack.incidents],
        [22 * mm, 52 * mm, 28 * mm, 16 * mm, 20 * mm, 24 * mm, 18 * mm], font, size=8.5))
    near = [i for i in pack.incidents if i.kind == "near_miss"]
    story.append(Paragraph(escape(_("Near misses")), s["heading"]))
    if near:
        for i in near:
            story.append(Paragraph(escape(f"{i.code} {i.title}: {i.handling or i.description}"), s["body"]))
    else:
        story.append(Paragraph(escape(_("None this quarter.")), s["body"]))
    story.append(Paragraph(escape(_("Linked risks and their current grade")), s["heading"]))
    rows = []
    for risk, grade, count in pack.linked_risks:
        grade_text = f"{grade.likelihood}×{grade.impact}={grade.score} {LEVEL_LABELS[grade.level]} ({grade.period})" \
            if grade else "—"
        rows.append([f"{risk.code} {risk.title}", count, grade_text])
    story.append(FastTable([_("Risk"), _("Incidents"), _("Current grade")], rows, [85 * mm, 20 * mm, 75 * mm],
                           font, size=8.5))
    action_flow = engine.workflows()["action"]

    def state(action):
        return engine.state_label(action_flow, action.state)

    story.append(Paragraph(escape(_("Open corrective actions")), s["heading"]))
    story.append(FastTable(
        [_("Incident"), _("Corrective action"), _("Owner"), _("Due"), _("Status")],
        [[i.code, f"{a.code} {a.title}", a.owner.display_name, a.due_date.isoformat(), state(a)] if a is not None
         else [i.code, i.corrective_action, i.action_owner or "—", i.action_due.isoformat() if i.action_due else "—",
               "—"] for i, a in pack.open_actions], [22 * mm, 83 * mm, 28 * mm, 22 * mm, 25 * mm], font, size=8.5,
        max_lines=8))
    story.append(Paragraph(escape(_("Decisions of the review meetings")), s["heading"]))
    if not pack.meetings:
        story.append(Paragraph(escape(_("No review meeting this quarter.")), s["body"]))
    for meeting, decided in pack.meetings:
        story.append(Paragraph(escape(_("Meeting of %(date)s", date=meeting.held_on.isoformat())), s["body"]))
        if decided:
            story.append(FastTable(
                [_("Action"), _("Owner"), _("Due"), _("Status")],
                [[f"{a.code} {a.title}", a.owner.display_name, a.due_date.isoformat(), state(a)] for a in decided],
                [95 * mm, 35 * mm, 25 * mm, 25 * mm], font, size=8.5, max_lines=8))
        else:
            story.append(Paragraph(escape(meeting.actions or _("No decision recorded.")), s["body"]))
    story.append(Spacer(1, 6 * mm))
    doc.build(story)
    return buffer.getvalue()
