"""Rendering the monthly and annual reports as PDFs (the quarterly pack renders in incidents/pack.py)."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from .. import charts, periods
from ..workflow import engine
from ..pdf import Pdf, escape
from ..register.grading import LEVELS
from ..indicators import rules
from ..indicators.labels import CAUSE_LABELS, COMPARED_LABELS, PLAN_LABELS, RULE_LABELS
from ..register import sheets
from ..register.labels import LEVEL_LABELS, TREND_SYMBOLS, WARNING_REASON_LABELS, WARNING_STATUS_LABELS
from ..i18n import current_language
from ..supervision.labels import BENEFIT_KIND_LABELS, ESCALATION_LABELS
from ..supervision import summary as supervision_summary
from .collect import AnnualData, MonthlyData, money

LEVEL_COLOURS = {"low": "#2f6fdb", "general": "#f2c200", "significant": "#f08c00", "major": "#d62828"}
ESCALATION_COLOURS = {"blue": "#2f6fdb", "yellow": "#f2c200", "red": "#d62828"}


def month_title(period: str) -> str:
    year, month = periods.parse(period)
    return _("%(year)s-%(month)s risk assessment and warning response", year=year, month=month)


def progress_title(period: str) -> str:
    year, month = periods.parse(period)
    return _("%(year)s-%(month)s risk assessment and warning response: execution progress", year=year, month=month)


def render_monthly(data: MonthlyData, language: str = "zh_CN", commentary: str = "", document=Pdf) -> bytes:
    """The monthly report as a PDF (or, with DOCUMENT=word.Word, a Word document)."""
    with force_locale(language):
        return _monthly(data, commentary, document)


def _level_row(counts):
    return [counts[level] for level in LEVELS] + [sum(counts.values())]


def sheet_state_text(p) -> str:
    """A unit's grading sheet state in section 8: "—" for a month before sign-off."""
    if p.state is None:
        return "—"
    return sheets.label(p.state)


def _monthly(d: MonthlyData, commentary: str, document) -> bytes:
    pdf = document(month_title(d.period))
    pdf.para(pdf.title, "title")
    # Built as a draft and issued later unchanged: the date it was prepared, not issued (the archive keeps that).
    pdf.para(_("Prepared %(date)s by the risk management department", date=d.today.isoformat()), "subtitle")
    if d.unit:
        pdf.para(_("The version of %(unit)s: its own risks, warnings, completion and indicators; the company's "
                   "figures as totals only.", unit=d.unit), "subtitle")
    pdf.para(_("1. Summary"), "heading")
    if d.unit:
        _unit_summary(pdf, d)
    else:
        pdf.para(_("%(n)s risks were graded for %(period)s: %(major)s major, %(sig)s significant, %(gen)s general "
                   "and %(low)s low; %(w)s warnings were raised.", n=d.total, period=d.period, major=d.counts["major"],
                   sig=d.counts["significant"], gen=d.counts["general"], low=d.counts["low"], w=len(d.warnings)))
    header = [_("Unit")] + [str(LEVEL_LABELS[level]) for level in LEVELS] + [_("Total")]
    rows = [header] + [[name] + _level_row(counts) for name, counts in d.counts_by_unit]
    rows.append([_("Company")] + _level_row(d.counts))
    pdf.table(rows, [55 * mm] + [25 * mm] * 5)
    if commentary.strip():
        pdf.para(_("Risk analysis and management recommendations"), "heading")
        for paragraph in commentary.strip().splitlines():
            if paragraph.strip():
                pdf.para(paragraph.strip())
    _plan(pdf, d)
    pdf.para(_("3. Heat map"), "heading")
    _heatmap(pdf, d.heatmap)
    pdf.para(_("4. The unit's risks among the company's top 10") if d.unit else _("4. Top 10 major risks"), "heading")
    rows = [[_("Rank"), _("Code"), _("Risk"), _("Unit"), "L×I", _("Score"), _("Level"), _("Trend"), _("Action")]]
    for r in d.top:
        rows.append([r.rank, r.code, r.title, r.unit, f"{r.likelihood}×{r.impact}", r.score,
                     str(LEVEL_LABELS[r.level]), TREND_SYMBOLS[r.trend], _("No action") if r.code in d.uncovered else ""])
    top3 = sum(1 for r in d.top if r.rank <= 3)
    pdf.table(rows, [10 * mm, 18 * mm, 50 * mm, 28 * mm, 12 * mm, 11 * mm, 19 * mm, 12 * mm, 20 * mm],
              [("BACKGROUND", (0, 1), (-1, top3), colors.HexColor("#fff1f0"))] if top3 else [])
    pdf.para(_("Trend against last month: ↑ rose, ↓ fell, → unchanged, ★ newly graded."), "small")
    if d.uncovered:
        pdf.para(_("Major risks without an action: %(codes)s. Each of the month's top 3 risks needs at least one "
                   "owned action.", codes=_(", ").join(d.uncovered)))
    pdf.para(_("5. New, escalated and de-escalated risks"), "heading")
    for label, changes in ((_("New"), d.new), (_("Rose in level"), d.escalated), (_("De-escalated"), d.deescalated)):
        pdf.para(f"{label} ({len(changes)})", "body")
        if changes:
            pdf.rows([_("Code"), _("Risk"), _("Unit"), _("Last month"), _("This month")],
                     [[c.code, c.title, c.unit, LEVEL_LABELS[c.previous_level] if c.previous_level else "—",
                       LEVEL_LABELS[c.level]] for c in changes], [22 * mm, 78 * mm, 40 * mm, 20 * mm, 20 * mm])
    pdf.para(_("6. Warnings and responses"), "heading")
    _warnings(pdf, d.warnings)
    _breaches(pdf, d.breaches)
    pdf.para(_("8. Grading completion by unit"), "heading")
    rows = [[_("Unit"), _("Graded"), _("Risks"), _("Completion"), _("Grading sheet")]] + [
        [p.unit.name, p.graded, p.total, f"{p.percent}%", sheet_state_text(p)] for p in d.completion]
    if d.company_completion is not None:
        graded, total = d.company_completion
        rows.append([_("Company"), graded, total, f"{round(100 * graded / total) if total else 100}%", ""])
    pdf.table(rows, [50 * mm, 22 * mm, 22 * mm, 26 * mm, 60 * mm])
    pdf.para(_("9. Overdue rectifications"), "heading")
    if d.overdue:
        fills = {(n, 3): ESCALATION_COLOURS[colour] for n, (_rec, colour) in enumerate(d.overdue) if colour}
        pdf.rows([_("Letter no."), _("Responsible unit"), _("Due"), _("Escalation")],
                 [[rec.letter_no, rec.responsible_unit.name, rec.due_date.isoformat(),
                   ESCALATION_LABELS[colour] if colour else "—"] for rec, colour in d.overdue],
                 [45 * mm, 60 * mm, 35 * mm, 40 * mm], fills, size=8.5)
    else:
        pdf.para(_("none"))
    pdf.page_break()
    _progress(pdf, d.progress, every_action=False)
    pdf.page_break()
    pdf.para(_("Appendix: the register of %(period)s", period=d.period), "heading")
    _register(pdf, d.register)
    return pdf.build()


def _unit_summary(pdf: Pdf, d: MonthlyData) -> None:
    """A unit version's summary: the unit's own figures, then the company's as totals."""
    counts = d.counts_by_unit[0][1]
    pdf.para(_("%(unit)s: %(n)s risks were graded for %(period)s: %(major)s major, %(sig)s significant, %(gen)s "
               "general and %(low)s low; %(w)s warnings were raised.", unit=d.unit, n=sum(counts.values()),
               period=d.period, major=counts["major"], sig=counts["significant"], gen=counts["general"],
               low=counts["low"], w=len(d.warnings)))
    graded, total = d.company_completion or (0, 0)
    pdf.para(_("The whole company: %(n)s risks graded, %(major)s major, %(sig)s significant, %(gen)s general and "
               "%(low)s low; %(w)s warnings; %(graded)s of %(total)s risks graded.", n=d.total,
               major=d.counts["major"], sig=d.counts["significant"], gen=d.counts["general"], low=d.counts["low"],
               w=d.company_warnings, graded=graded, total=total))


def figure(value) -> str:
    """A figure as people read it (1,234.5); — when unknown."""
    return charts.number_text(value) or "—"


def percent(value) -> str:
    return "—" if value is None else f"{value}%"


def _plan(pdf: Pdf, d: MonthlyData) -> None:
    """销售业绩进展: each plan line's month, year to date and year against budget, by unit and for the company."""
    pdf.para(_("2. Sales performance progress"), "heading")
    if not d.plan:
        pdf.para(_("none"))
        return
    month = periods.parse(d.period)[1]
    revenue = next((line.company.progress for line in d.plan if line.line == "revenue"), None)
    if revenue is not None and revenue.ytd_completion is not None:
        pdf.para(_("In January %(percent)s%% of the sales plan was completed.", percent=revenue.ytd_completion)
                 if month == 1 else
                 _("From January to month %(month)s, %(percent)s%% of the sales plan was completed.", month=month,
                   percent=revenue.ytd_completion))
    # Headings wrap at spaces within their narrow columns (English ones are longer than the figures under
    # them; the Chinese ones fit on a line).
    style = ParagraphStyle("plan-heading", parent=pdf.s["cell"], fontSize=8.5, leading=10.5, wordWrap=None)
    header = [Paragraph(escape(text), style) for text in (
        _("Unit"), _("This month"), _("Month's budget"), _("Month's completion"),
        _("Months 1–%(month)s", month=month) if month > 1 else _("January to date"), _("Budget to date"),
        _("Completion to date"), _("Annual target"), _("Year's completion"))]
    for line in d.plan:
        measures = {row.measure for row in line.units + [line.company] if row.measure}
        shared = measures.pop() if len(measures) == 1 else None
        label = PLAN_LABELS[line.line]
        pdf.para(_("%(title)s (%(measure)s)", title=label, measure=shared) if shared else str(label), "body")
        rows = [header]
        if not any(rules.adds_up(row.measure) for row in line.units + [line.company] if row.measure):
            # A rate's month is held against its budget or, without one, the annual target.
            rows = [header[:2] + [Paragraph(escape(_("Target or budget")), style)] + header[3:]]
        for row in line.units + [line.company]:
            name = row.unit.name if row.unit is not None else _("Company")
            if shared is None and row.measure:
                name = _("%(title)s (%(measure)s)", title=name, measure=row.measure)
            p = row.progress
            rows.append([name] + (["—"] * 8 if p is None else [
                figure(p.month_value), figure(p.month_budget), percent(p.month_completion), figure(p.ytd_value),
                figure(p.ytd_budget), percent(p.ytd_completion), figure(p.annual), percent(p.year_completion)]))
        pdf.table(rows, [36 * mm] + [18 * mm] * 8,
                  [("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                   ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                   ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#f3f6fa"))])
        pdf.space(3 * mm)


def _breaches(pdf: Pdf, items) -> None:
    """Every breach of the month: the rule, what it compared with, the variance and the unit's answer."""
    pdf.para(_("7. Indicator breaches"), "heading")
    if not items:
        pdf.para(_("none"))
        return
    rows = []
    for b in items:
        ind, value = b.indicator, b.value
        measured = figure(b.measured)
        if ind.rule == "behind_progress":
            measured = _("Year to date %(value)s", value=measured)
        if b.cause and b.explanation:
            answer = _("%(label)s: %(value)s", label=CAUSE_LABELS[b.cause], value=b.explanation)
        else:
            answer = str(CAUSE_LABELS[b.cause]) if b.cause else b.explanation or _("Not explained")
        variance = figure(value.variance)
        rows.append([f"{ind.code} {ind.name}", ind.unit.name if ind.unit else _("Company"), RULE_LABELS[ind.rule],
                     f"{COMPARED_LABELS[ind.rule]}\n{figure(value.compared_with)}", measured,
                     variance if variance.startswith(("-", "—")) else f"+{variance}", ind.measure or "—",
                     ind.risk.code if ind.risk else "—", answer])
    pdf.rows([_("Indicator"), _("Unit"), _("Rule"), _("Compared with"), _("Value"), _("Variance"), _("Measure"),
              _("Linked risk"), _("Cause and explanation")], rows,
             [30 * mm, 22 * mm, 24 * mm, 22 * mm, 17 * mm, 14 * mm, 13 * mm, 14 * mm, 24 * mm], size=7.5,
             max_lines=30)
    pdf.space(4 * mm)
    pdf.para(_("The breached indicators over 24 months"), "body")
    for b in items:
        ind = b.indicator
        progress = ind.rule == "behind_progress"
        chart = charts.line_chart(
            [(h["period"], h["ytd"] if progress else h["value"], h["reference"], h["breached"]) for h in b.history],
            measure=ind.measure, value_label=_("Year to date") if progress else _("Value"),
            reference_label=COMPARED_LABELS[ind.rule])
        pdf.keep(f"{ind.code} {ind.name}", charts.drawing(chart, 180 * mm, 52 * mm))


def _register(pdf: Pdf, rows) -> None:
    """Every graded risk in ranking order."""
    pdf.rows([_("Rank"), _("Code"), _("Risk"), _("Unit"), "L×I", _("Score"), _("Level"), _("Trend")],
             [[r.rank, r.code, r.title, r.unit, f"{r.likelihood}×{r.impact}", r.score, LEVEL_LABELS[r.level],
               TREND_SYMBOLS[r.trend]] for r in rows],
             [12 * mm, 20 * mm, 62 * mm, 30 * mm, 12 * mm, 12 * mm, 20 * mm, 12 * mm], max_lines=2)


def _heatmap(pdf: Pdf, heat: dict) -> None:
    size_l = max(c["likelihood"] for c in heat["cells"])
    size_i = max(c["impact"] for c in heat["cells"])
    cells = {(c["likelihood"], c["impact"]): c for c in heat["cells"]}
    rows = [[_("L \\ I")] + [str(i) for i in range(1, size_i + 1)]]
    extra = []
    for row, l in enumerate(range(size_l, 0, -1), 1):
        rows.append([str(l)] + [str(cells[(l, i)]["count"] or "") for i in range(1, size_i + 1)])
        for i in range(1, size_i + 1):
            level = cells[(l, i)]["level"]
            extra.append(("BACKGROUND", (i, row), (i, row), colors.HexColor(LEVEL_COLOURS[level])))
            if level in ("low", "major"):
                extra.append(("TEXTCOLOR", (i, row), (i, row), colors.white))
    extra += [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("FONTSIZE", (1, 1), (-1, -1), 11)]
    pdf.table(rows, [18 * mm] + [16 * mm] * size_i, extra)
    pdf.para(_("Rows: likelihood; columns: impact; each cell counts the risks graded there."), "small")


def _progress(pdf: Pdf, p, every_action: bool = True) -> None:
    """《…执行进度》: per unit how far the actions answering the month's warnings got, each action (in the monthly
    report, without EVERY_ACTION, only the overdue ones: the full list is the execution-progress report's), then
    the warnings nobody answered with an action."""
    pdf.para(progress_title(p.period), "title")
    pdf.para(_("How far the actions answering the warnings of %(period)s got, on %(date)s.", period=p.period,
               date=p.today.isoformat()), "subtitle")
    pdf.para(_("Actions by unit"), "heading")
    rows = [[_("Unit"), _("Warnings"), _("Number of actions"), _("Done"), _("Overdue"), _("Done rate")]]
    for tally in p.units + [p.total]:
        rows.append([tally.unit or _("Company-wide"), tally.warnings, tally.actions, tally.done, tally.overdue,
                     percent(tally.done_rate)])
    rows[-1][0] = _("Company")  # the sums
    pdf.table(rows, [60 * mm, 24 * mm, 24 * mm, 24 * mm, 24 * mm, 24 * mm],
              [("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                                                     colors.HexColor("#f3f6fa"))])
    flow = engine.workflows()["action"]
    states = {state: engine.state_label(flow, state) for state in flow.states}
    listed = p.rows
    if every_action:
        pdf.para(_("Each action"), "heading")
    else:
        listed = [row for row in p.rows if row.overdue]
        pdf.para(_("Overdue actions"), "heading")
        pdf.para(_("%(shown)s of the %(n)s actions are overdue; every action is listed in the execution-progress "
                   "report of %(period)s.", shown=len(listed), n=len(p.rows), period=p.period), "small")
    if listed:
        fills = {(n, 6): "#fde2e1" for n, row in enumerate(listed) if row.overdue}
        pdf.rows([_("Warned"), _("Unit"), _("Action"), _("Title"), _("Owner"), _("Due date"), _("State")],
                 [[f"{r.code} {r.subject}", r.unit or _("Company-wide"), r.action_code, r.title, r.owner,
                   r.due_date.isoformat(),
                   _("%(state)s, overdue", state=states[r.state]) if r.overdue
                   else str(states[r.state])] for r in listed],
                 [34 * mm, 22 * mm, 22 * mm, 36 * mm, 18 * mm, 18 * mm, 30 * mm], fills, size=7.5, max_lines=3)
    else:
        pdf.para(_("none"))
    pdf.para(_("Warnings without any action"), "heading")
    if p.without_actions:
        pdf.rows([_("Code"), _("Warned"), _("Unit"), _("Response"), _("Progress"), _("Status")],
                 [[w.code, w.subject, w.unit or _("Company-wide"), w.response or "—", f"{w.progress}%",
                   WARNING_STATUS_LABELS[w.status]] for w in p.without_actions],
                 [26 * mm, 44 * mm, 30 * mm, 46 * mm, 14 * mm, 20 * mm], size=8, max_lines=6)
    else:
        pdf.para(_("none"))


def render_progress(data, language: str = "zh_CN", document=Pdf) -> bytes:
    """The execution-progress report of a month's warnings on its own."""
    with force_locale(language):
        doc = document(progress_title(data.period))
        _progress(doc, data)
        return doc.build()


def _warnings(pdf: Pdf, items) -> None:
    if not items:
        pdf.para(_("none"))
        return
    pdf.rows([_("Code"), _("Risk"), _("Level"), _("Why"), _("Response"), _("Progress"), _("Status")],
             [[w.code, w.title, LEVEL_LABELS.get(w.level, "—") if w.level else "—",
               WARNING_REASON_LABELS[w.reason], w.response or "—", f"{w.progress}%", WARNING_STATUS_LABELS[w.status]]
              # The code column holds an indicator's code too (SC-NET-PROFIT), whole.
              for w in items], [24 * mm, 36 * mm, 20 * mm, 25 * mm, 43 * mm, 14 * mm, 18 * mm], size=8, max_lines=30)


def render_annual(data: AnnualData, language: str = "zh_CN", document=Pdf) -> bytes:
    with force_locale(language):
        return _annual(data, document)


def annual_title(year: int) -> str:
    return _("%(year)s annual summary of risk work", year=year)


# The year's supervision tables: a name and one figure, as wide as the report's other tables.
FIGURE_WIDTHS = [126 * mm, 44 * mm]


def _annual_supervision(pdf, d: AnnualData) -> None:
    """The year's supervision figures in the source's terms (立项N项、下达效能监察通知书N份、提出整改建议N条…),
    then the projects by kind and lead unit and the benefits by kind."""
    s = d.supervision
    projects, recs, benefit = s["projects"], s["recommendations"], s["economic_benefit"]
    pdf.para(_("4. Efficiency supervision"), "heading")
    pdf.para(_("Projects filed: %(p)s (set by the company: %(company)s, proposed by units: %(unit)s), closed: %(c)s; "
               "supervision notices issued: %(n)s; rectification recommendations made: %(r)s, verified: %(v)s, "
               "overdue: %(o)s; closed-loop rate: %(rate)s%%; direct economic benefit: %(money)s yuan.",
               p=projects["total"], company=projects["by_origin"]["company"], unit=projects["by_origin"]["unit"],
               c=projects["closed"], n=s["notices"], r=recs["issued"], v=recs["verified"], o=recs["overdue"],
               rate=supervision_summary.percent(s["closed_loop_rate"]), money=money(benefit["total"])))
    english = current_language() == "en"
    rows = [[_("Project kind"), _("Projects")]]
    # In the order of the kinds list, as the year's page shows them (a kind the list lacks comes last).
    listed = [code for code in d.kind_names if code in projects["by_kind"]]
    listed += [code for code in projects["by_kind"] if code not in d.kind_names]
    rows += [[d.kind_names.get(code, (code, code))[1 if english else 0], projects["by_kind"][code]] for code in listed]
    pdf.table(rows, FIGURE_WIDTHS)
    pdf.space(2 * mm)
    rows = [[_("Lead unit"), _("Projects")]]
    rows += [[d.unit_names.get(code, code), n] for code, n in projects["by_unit"].items()]
    pdf.table(rows, FIGURE_WIDTHS)
    pdf.space(2 * mm)
    rows = [[_("Kind of benefit"), _("Amount (yuan)")]]
    rows += [[str(BENEFIT_KIND_LABELS[kind]), money(amount)] for kind, amount in benefit["by_kind"].items()]
    pdf.table(rows, FIGURE_WIDTHS)


def _annual(d: AnnualData, document) -> bytes:
    pdf = document(annual_title(d.year))
    pdf.para(pdf.title, "title")
    pdf.para(_("1. Risks by level, month by month"), "heading")
    rows = [[_("Month")] + [str(LEVEL_LABELS[level]) for level in LEVELS] + [_("Total")]]
    rows += [[period] + _level_row(counts) for period, counts in d.months]
    pdf.table(rows, [30 * mm] + [28 * mm] * 5)
    pdf.para(_("2. Major risks of the year (highest grade)"), "heading")
    rows = [[_("Rank"), _("Code"), _("Risk"), _("Unit"), "L×I", _("Score"), _("Level"), _("Month")]]
    rows += [[r.rank, r.code, r.title, r.unit, f"{r.likelihood}×{r.impact}", r.score, str(LEVEL_LABELS[r.level]),
              r.period] for r in d.top]
    pdf.table(rows, [11 * mm, 18 * mm, 56 * mm, 30 * mm, 13 * mm, 12 * mm, 22 * mm, 18 * mm])
    pdf.para(_("3. Incidents and losses by quarter"), "heading")
    rows = [[_("Quarter"), _("Loss events"), _("Near misses"), _("Gross loss (yuan)"), _("Net loss (yuan)")]]
    rows += [[q, t.loss_events, t.near_misses, money(t.gross), money(t.net)] for q, t in d.incidents_by_quarter]
    pdf.table(rows, [30 * mm, 30 * mm, 30 * mm, 45 * mm, 45 * mm])
    _annual_supervision(pdf, d)
    pdf.space(4 * mm)
    return pdf.build()
