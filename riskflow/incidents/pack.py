"""The quarterly incident review pack: figures collected from the library, then rendered as a PDF."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.units import mm
from sqlalchemy import case, func

from .. import periods
from ..errors import Invalid
from ..pdf import Pdf
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


TOP = [("VALIGN", (0, 0), (-1, -1), "TOP")]


def render(pack: QuarterPack, language: str = "zh_CN", document=Pdf) -> bytes:
    """The pack as a PDF in LANGUAGE, with the CJK font embedded (or, with DOCUMENT=word.Word, a Word file)."""
    with force_locale(language):
        return _render(pack, document)


def title(quarter: str) -> str:
    """The pack's title in the current language."""
    return _("Risk event review pack, %(quarter)s", quarter=quarter)


def _render(pack: QuarterPack, document) -> bytes:
    doc = document(title(pack.quarter))
    t = pack.totals
    doc.para(doc.title, "title")
    doc.para(_("%(n)s incidents: %(loss)s loss events, %(near)s near misses; gross loss %(gross)s yuan, "
               "recovered %(rec)s yuan, net loss %(net)s yuan.", n=t.count, loss=t.loss_events,
               near=t.near_misses, gross=_money(t.gross), rec=_money(t.recoveries), net=_money(t.net)), "subtitle")
    doc.para(_("By unit"), "heading")
    header = [_("Unit"), _("Incidents"), _("Loss events"), _("Near misses"), _("Net loss (yuan)")]
    rows = [header] + [[name, x.count, x.loss_events, x.near_misses, _money(x.net)] for name, x in pack.by_unit.items()]
    rows.append([_("Total"), t.count, t.loss_events, t.near_misses, _money(t.net)])
    doc.table(rows, [60 * mm, 25 * mm, 25 * mm, 25 * mm, 40 * mm], TOP)
    doc.para(_("By loss type"), "heading")
    rows = [[_("Loss type"), _("Incidents"), _("Net loss (yuan)")]] + [
        [str(LOSS_TYPE_LABELS.get(code, _("Unclassified"))), x.count, _money(x.net)]
        for code, x in pack.by_loss_type.items()]
    doc.table(rows, [95 * mm, 30 * mm, 50 * mm], TOP)
    doc.para(_("By dimension"), "heading")
    rows = [[_("Dimension"), _("Incidents with an effect"), _("Highest severity (0-5)")]] + [
        [str(SEVERITY_LABELS[d]), n, top] for d, (n, top) in pack.by_dimension.items()]
    doc.table(rows, [60 * mm, 55 * mm, 60 * mm], TOP)
    doc.para(_("Incidents of the quarter"), "heading")
    incident_flow = engine.workflows()["incident"]
    doc.rows(
        [_("Code"), _("Incident"), _("Unit"), _("Kind"), _("Occurred"), _("Net loss (yuan)"), _("Status")],
        [[i.code, i.title, i.unit.name, KIND_LABELS[i.kind], i.occurred_on.isoformat(), _money(i.net_loss),
          engine.state_label(incident_flow, i.state)] for i in pack.incidents],
        [22 * mm, 52 * mm, 28 * mm, 16 * mm, 20 * mm, 24 * mm, 18 * mm], size=8.5)
    near = [i for i in pack.incidents if i.kind == "near_miss"]
    doc.para(_("Near misses"), "heading")
    if near:
        for i in near:
            doc.para(f"{i.code} {i.title}: {i.handling or i.description}")
    else:
        doc.para(_("None this quarter."))
    doc.para(_("Linked risks and their current grade"), "heading")
    rows = []
    for risk, grade, count in pack.linked_risks:
        grade_text = f"{grade.likelihood}×{grade.impact}={grade.score} {LEVEL_LABELS[grade.level]} ({grade.period})" \
            if grade else "—"
        rows.append([f"{risk.code} {risk.title}", count, grade_text])
    doc.rows([_("Risk"), _("Incidents"), _("Current grade")], rows, [85 * mm, 20 * mm, 75 * mm], size=8.5)
    action_flow = engine.workflows()["action"]

    def state(action):
        return engine.state_label(action_flow, action.state)

    doc.para(_("Open corrective actions"), "heading")
    doc.rows(
        [_("Incident"), _("Corrective action"), _("Owner"), _("Due date"), _("Status")],
        [[i.code, f"{a.code} {a.title}", a.owner.label, a.due_date.isoformat(), state(a)] if a is not None
         else [i.code, i.corrective_action, i.action_owner or "—", i.action_due.isoformat() if i.action_due else "—",
               "—"] for i, a in pack.open_actions], [22 * mm, 83 * mm, 28 * mm, 22 * mm, 25 * mm], size=8.5,
        max_lines=8)
    doc.para(_("Decisions of the review meetings"), "heading")
    if not pack.meetings:
        doc.para(_("No review meeting this quarter."), "body")
    for meeting, decided in pack.meetings:
        doc.para(_("Meeting of %(date)s", date=meeting.held_on.isoformat()), "body")
        if decided:
            doc.rows([_("Action"), _("Owner"), _("Due date"), _("Status")],
                     [[f"{a.code} {a.title}", a.owner.label, a.due_date.isoformat(), state(a)] for a in decided],
                     [95 * mm, 35 * mm, 25 * mm, 25 * mm], size=8.5, max_lines=8)
        else:
            doc.para(meeting.actions or _("No decision recorded."), "body")
    doc.space(6 * mm)
    return doc.build()
